"""New-pupil enrolment (新生入学“一件事”): campaigns, zones, applications with their verified
facts, category, lottery number and outcome; every status change, department call and message
is kept with the application."""
from django.conf import settings
from django.db import models
from django.utils import timezone

from jiaoguan.core.models import OrgUnit, SchoolYear
from jiaoguan.registry.models import School


class Stage(models.TextChoices):
    KINDERGARTEN = "kindergarten", "幼儿园小班"
    PRIMARY = "primary", "小学一年级"
    JUNIOR = "junior", "初中七年级"


# planned class size per stage (the capacity is classes × class size)
DEFAULT_CLASS_SIZE = {Stage.KINDERGARTEN: 25, Stage.PRIMARY: 45, Stage.JUNIOR: 50}


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "筹备"
        OPEN = "open", "报名中"
        REVIEW = "review", "核验审核"
        FROZEN = "frozen", "名册已冻结"
        DRAWN = "drawn", "已摇号"
        ALLOCATED = "allocated", "已录取"
        CLOSED = "closed", "已结束"

    county = models.ForeignKey(OrgUnit, models.PROTECT, related_name="campaigns", verbose_name="县区")
    year = models.ForeignKey(SchoolYear, models.PROTECT, verbose_name="学年")
    stage = models.CharField("学段", max_length=20, choices=Stage.choices)
    name = models.CharField("名称", max_length=100)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    phases = models.JSONField("阶段", default=list, help_text="[{\"id\": \"apply\", \"name\": \"报名\", \"start\": \"2026-07-01\", \"end\": \"2026-07-10\"}, …]")
    policy = models.JSONField("招生政策", default=dict)
    roster_hash = models.CharField("名册哈希", max_length=64, blank=True)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)
    entropy_plan = models.JSONField("公开熵来源", default=list, blank=True, help_text="事先公布的熵来源说明及承诺值")
    entropy = models.JSONField("公开熵", default=list, blank=True)
    seed = models.CharField("摇号种子", max_length=64, blank=True)
    drawn_at = models.DateTimeField("摇号时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "招生计划"
        constraints = [models.UniqueConstraint(fields=["county", "year", "stage"], name="one_campaign_per_stage_year")]

    def __str__(self) -> str:
        return self.name


class CampaignSchool(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="schools", verbose_name="招生计划")
    school = models.ForeignKey(School, models.PROTECT, verbose_name="学校")
    classes = models.PositiveSmallIntegerField("计划班数")
    class_size = models.PositiveSmallIntegerField("班额上限")
    private = models.BooleanField("民办（电脑随机录取）", default=False)
    x = models.FloatField("横坐标（km）", null=True, blank=True)
    y = models.FloatField("纵坐标（km）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "招生学校"
        constraints = [models.UniqueConstraint(fields=["campaign", "school"], name="campaign_school_once")]

    @property
    def capacity(self) -> int:
        return self.classes * self.class_size

    def __str__(self) -> str:
        return str(self.school)


class Zone(models.Model):
    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="zones", verbose_name="招生计划")
    name = models.CharField("片区", max_length=60)
    schools = models.ManyToManyField(CampaignSchool, related_name="zones", verbose_name="对口学校（多校划片时多所）")

    class Meta:
        verbose_name = verbose_name_plural = "片区"
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="zone_name_once")]

    def __str__(self) -> str:
        return self.name


class AddressUnit(models.Model):
    class Kind(models.TextChoices):
        COMPOUND = "compound", "小区/社区/村"
        ROAD = "road", "道路门牌号段"

    class Parity(models.TextChoices):
        ALL = "all", "全部"
        ODD = "odd", "单号"
        EVEN = "even", "双号"

    zone = models.ForeignKey(Zone, models.CASCADE, related_name="units", verbose_name="片区")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    name = models.CharField("名称或道路", max_length=100)
    number_from = models.PositiveIntegerField("起始门牌号", null=True, blank=True)
    number_to = models.PositiveIntegerField("终止门牌号", null=True, blank=True)
    parity = models.CharField("单双号", max_length=4, choices=Parity.choices, default=Parity.ALL)

    class Meta:
        verbose_name = verbose_name_plural = "片区地址单元"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "已提交"
        VERIFYING = "verifying", "核验中"
        NEEDS_DOCUMENTS = "needs_documents", "需补充材料"
        REVIEW = "review", "待人工审核"
        ELIGIBLE = "eligible", "资格审核通过"
        ADMITTED = "admitted", "已录取"
        PLACED = "placed", "统筹安排"
        UNPLACED = "unplaced", "未安排"
        WITHDRAWN = "withdrawn", "已撤回"

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="applications", verbose_name="招生计划")
    token = models.CharField("报名号", max_length=20, unique=True)
    child_id_number = models.CharField("儿童身份证号", max_length=18)
    child_name = models.CharField("儿童姓名", max_length=40)
    child_sex = models.CharField("性别", max_length=1)
    child_birth_date = models.DateField("出生日期")
    guardian_name = models.CharField("监护人", max_length=40)
    guardian_relation = models.CharField("与儿童关系", max_length=10, default="父母")
    guardian_phone = models.CharField("监护人手机号", max_length=11, db_index=True)
    guardian_id_number = models.CharField("监护人身份证号", max_length=18, blank=True)
    hukou_address = models.CharField("户籍地址", max_length=200, blank=True)
    property_address = models.CharField("房产地址", max_length=200, blank=True)
    residence_address = models.CharField("实际居住地址", max_length=200, blank=True)
    choices = models.JSONField("志愿（民办学校等）", default=list, blank=True)
    zone_school = models.ForeignKey(CampaignSchool, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="对口学校")
    zone_note = models.CharField("片区匹配说明", max_length=200, blank=True)
    facts = models.JSONField("核验事实", default=dict, blank=True)
    categories = models.JSONField("各校类别", default=dict, blank=True)  # {campaign_school_id: {"rank", "id", "reasons"}}
    category_override = models.JSONField("人工调整", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    status_note = models.CharField("状态说明", max_length=300, blank=True)
    lottery = models.CharField("摇号号码", max_length=64, blank=True)
    outcome = models.ForeignKey(CampaignSchool, models.SET_NULL, null=True, blank=True, related_name="admitted", verbose_name="录取学校")
    outcome_note = models.CharField("录取说明", max_length=200, blank=True)
    created = models.DateTimeField("提交时间", default=timezone.now)
    updated = models.DateTimeField("更新时间", auto_now=True)
    # the form the last submission came from: a second POST of that form (double click, retry
    # after a time-out) lands here without writing again
    form_key = models.CharField(max_length=40, blank=True, editable=False)
    # submitted or changed by the parent and not yet followed up (event, SMS, department checks)
    needs_follow_up = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "入学申请"
        constraints = [models.UniqueConstraint(fields=["campaign", "child_id_number"], name="one_application_per_child")]
        indexes = [models.Index(fields=["campaign", "status"]),
                   models.Index(fields=["id"], condition=models.Q(needs_follow_up=True), name="application_follow_up")]

    def __str__(self) -> str:
        return f"{self.token} {self.child_name}"


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.CharField("操作人", max_length=60)  # "家长", "系统", or a staff username
    status = models.CharField(max_length=20, choices=Application.Status.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class DepartmentRecord(models.Model):
    """Lists received from other departments, for the local verification backend."""

    class Kind(models.TextChoices):
        HUKOU = "hukou", "户籍（公安）"
        PROPERTY = "property", "不动产（自然资源）"
        MARRIAGE = "marriage", "婚姻（民政）"
        RESIDENCE = "residence", "居住证（公安）"
        SOCIAL_INSURANCE = "social_insurance", "社保（人社）"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    id_number = models.CharField("身份证号", max_length=18, db_index=True)
    data = models.JSONField("内容", default=dict)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "部门核验数据"
        indexes = [models.Index(fields=["kind", "id_number"])]


class VerificationCall(models.Model):
    """Every question put to another department and its answer: the evidence for the category."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="verifications")
    kind = models.CharField(max_length=20, choices=DepartmentRecord.Kind.choices)
    backend = models.CharField(max_length=60)
    ok = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20)  # match | mismatch | not_found | error | queued
    request = models.JSONField(default=dict)
    response = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)
    milliseconds = models.PositiveIntegerField(default=0)


class Notice(models.Model):
    """Every SMS: deduplicated on (application, event), retried, kept."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="notices", null=True, blank=True)
    phone = models.CharField(max_length=11)
    text = models.CharField(max_length=300)
    dedupe_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=10, default="pending")  # pending | sent | failed
    tries = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)


class LoginCode(models.Model):
    """A parent's SMS log-in code (only its hash is kept), rate-limited per phone number."""

    phone = models.CharField(max_length=11, db_index=True)
    digest = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used = models.BooleanField(default=False)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)


def _document_path(instance, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    app = instance.application
    return f"enrollment/{app.campaign_id}/{app.token}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """A file a parent uploads when a record could not be verified with the departments (the
    offline fall-back: 自建房/宅基地证明, 户口簿 …). Kept under MEDIA_ROOT; staff review it."""

    class Kind(models.TextChoices):
        HUKOU = "hukou", "户口簿（户主页和儿童页）"
        PROPERTY = "property", "房产证明（不动产权证书或购房合同）"
        SELF_BUILT = "self_built", "自建房/宅基地证明"
        RESIDENCE = "residence", "居住证"
        SOCIAL_INSURANCE = "social_insurance", "社保缴费证明"
        OTHER = "other", "其他材料"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已认可"
        REJECTED = "rejected", "未认可"

    application = models.ForeignKey(Application, models.CASCADE, related_name="documents", verbose_name="入学申请")
    kind = models.CharField("材料类型", max_length=20, choices=Kind.choices)
    file = models.FileField("文件", upload_to=_document_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    note = models.CharField("家长说明", max_length=200, blank=True)
    status = models.CharField("审核状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    created = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "补充材料"
        ordering = ["created", "pk"]
