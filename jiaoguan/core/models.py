"""The organisation tree, school years, users with their roles and scope, and the audit log."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class OrgUnit(models.Model):
    """A node of the administrative tree: province → city → county → township.

    `path` is a materialised path ("/43/4303/430321/") so a subtree is one indexed
    prefix filter, the same on SQLite and PostgreSQL.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县区"
        TOWNSHIP = "township", "乡镇街道"

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级")
    path = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)

    @property
    def county(self) -> "OrgUnit | None":
        """The county this unit is in (itself for a county)."""
        node = self
        while node is not None and node.level not in (self.Level.COUNTY,):
            node = node.parent
        return node

    def subtree(self):
        return OrgUnit.objects.filter(path__startswith=self.path)


class SchoolYear(models.Model):
    """A school year, "2025-2026", starting 1 September."""

    code = models.CharField("学年", max_length=9, unique=True)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    is_current = models.BooleanField("当前学年", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "学年"
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.code

    @property
    def start_year(self) -> int:
        return self.start.year

    @classmethod
    def current(cls) -> "SchoolYear | None":
        return cls.objects.filter(is_current=True).first() or cls.objects.first()


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "局领导"
    STAFF = "staff", "股室"
    SCHOOL_ADMIN = "school_admin", "学校管理员"
    INSPECTOR = "inspector", "督学"


class Section(models.TextChoices):
    BASIC = "basic", "基础教育股"
    PERSONNEL = "personnel", "人事股"
    AID = "aid", "学生资助中心"
    SUPERVISION = "supervision", "督导室"
    SAFETY = "safety", "安全股"
    FINANCE = "finance", "计财股"
    TUTORING = "tutoring", "校外培训监管股"


# Roles (and sections) that may see full ID and phone numbers; every full view is audited.
PII_SECTIONS = {Section.BASIC, Section.PERSONNEL, Section.AID}


class User(AbstractUser):
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.STAFF)
    section = models.CharField("股室", max_length=20, choices=Section.choices, blank=True)
    org_unit = models.ForeignKey(OrgUnit, models.PROTECT, null=True, blank=True, verbose_name="所属单位")
    school = models.ForeignKey("registry.School", models.PROTECT, null=True, blank=True, related_name="admins", verbose_name="所属学校")
    inspected_schools = models.ManyToManyField("registry.School", blank=True, related_name="inspectors", verbose_name="责任区学校")
    phone = models.CharField("手机号", max_length=11, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return (self.last_name + self.first_name).strip()

    @property
    def can_view_pii(self) -> bool:
        """May reveal full ID and phone numbers (always audited)."""
        if self.is_superuser or self.role == Role.ADMIN:
            return True
        if self.role == Role.SCHOOL_ADMIN:
            return True  # only ever within its own school, which scope enforces
        return self.role == Role.STAFF and self.section in PII_SECTIONS

    @property
    def can_edit_registry(self) -> bool:
        if self.is_superuser or self.role == Role.ADMIN:
            return True
        if self.role == Role.SCHOOL_ADMIN:
            return True
        return self.role == Role.STAFF and self.section in (Section.BASIC, Section.PERSONNEL)

    @property
    def is_locked(self) -> bool:
        return bool(self.locked_until and self.locked_until > timezone.now())

    @property
    def scope_label(self) -> str:
        if self.is_superuser or self.role == Role.ADMIN:
            return "全部"
        if self.role == Role.SCHOOL_ADMIN and self.school_id:
            return self.school.name
        if self.role == Role.INSPECTOR:
            return "责任区学校"
        return self.org_unit.name if self.org_unit else "无"


class AuditLog(models.Model):
    """Who did what to which data, and how many rows: every import, export and full view of
    personal data, every log-in and every change."""

    class Action(models.TextChoices):
        LOGIN = "login", "登录"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED = "locked", "账号锁定"
        VIEW_PII = "view_pii", "查看完整个人信息"
        EXPORT = "export", "导出"
        EXPORT_PII = "export_pii", "导出（含完整个人信息）"
        IMPORT = "import", "导入"
        IMPORT_REJECTED = "import_rejected", "导入被拒绝"
        CREATE = "create", "新增"
        UPDATE = "update", "修改"
        DELETE = "delete", "删除"
        API = "api", "接口访问"

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name="用户")
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=40, blank=True)
    object_id = models.CharField("对象", max_length=40, blank=True)
    object_repr = models.CharField("对象说明", max_length=200, blank=True)
    row_count = models.PositiveIntegerField("行数", null=True, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"


class ImportJob(models.Model):
    """One uploaded file on its way in: progress for the page, the outcome, the error workbook."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "处理中"
        DONE = "done", "已导入"
        REJECTED = "rejected", "被拒绝"
        FAILED = "failed", "出错"

    kind = models.CharField("类型", max_length=30)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, verbose_name="用户")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    filename = models.CharField("文件名", max_length=200)
    stored = models.CharField(max_length=300, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    phase = models.CharField("阶段", max_length=40, blank=True)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    message = models.TextField("结果", blank=True)
    error_lines = models.JSONField(default=list, blank=True)
    error_file = models.CharField(max_length=300, blank=True, editable=False)
    warning_lines = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导入任务"
        ordering = ["-started_at"]

    @property
    def percent(self) -> int:
        if self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED):
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name="用户")
    name = models.CharField("用途", max_length=60)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("前缀", max_length=8, editable=False)
    created = models.DateTimeField("创建时间", default=timezone.now)
    expires = models.DateTimeField("过期时间", null=True, blank=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    @staticmethod
    def hash(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str, days: int | None = 365) -> tuple["ApiToken", str]:
        import datetime
        import secrets

        key = "jg_" + secrets.token_urlsafe(32)
        expires = timezone.now() + datetime.timedelta(days=days) if days else None
        token = cls.objects.create(user=user, name=name, digest=cls.hash(key), prefix=key[:8], expires=expires)
        return token, key
