"""Parents log in with their phone number and a 6-digit SMS code. Only an HMAC of the code is
kept (`LoginCode.digest`); limits: one code per phone per 60 s and 5 per hour, 5 wrong
attempts per code, and a per-IP limit on codes sent (ENROLLMENT_CODES_PER_IP_HOUR)."""
from __future__ import annotations

import datetime
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from jiaoguan.core.idnumbers import mask_phone

from . import sms
from .models import LoginCode, Notice

CODE_MINUTES = 5
PHONE_INTERVAL_SECONDS = 60
PHONE_PER_HOUR = 5
MAX_ATTEMPTS = 5


class CodeError(ValueError):
    """A message for the parent."""


def per_ip_hour() -> int:
    return int(getattr(settings, "ENROLLMENT_CODES_PER_IP_HOUR", 30))


def valid_phone(phone: str) -> str:
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if len(phone) != 11 or not phone.isdigit() or phone[0] != "1" or phone[1] not in "3456789":
        raise CodeError("请填写正确的11位手机号")
    return phone


def _digest(phone: str, code: str) -> str:
    return salted_hmac("jiaoguan.enrollment.login-code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def send_code(phone: str, ip: str | None = None) -> str:
    """Create, keep (hashed) and send a code; returns it (shown on screen only in the demo)."""
    phone = valid_phone(phone)
    now = timezone.now()
    hour_ago = now - datetime.timedelta(hours=1)
    with transaction.atomic():
        recent = LoginCode.objects.filter(phone=phone, created__gte=hour_ago)
        last = recent.order_by("-created", "-pk").first()
        if last and (now - last.created).total_seconds() < PHONE_INTERVAL_SECONDS:
            wait = PHONE_INTERVAL_SECONDS - int((now - last.created).total_seconds())
            raise CodeError(f"验证码已发送，同一手机号60秒内只能获取一次，请{wait}秒后再试")
        if recent.count() >= PHONE_PER_HOUR:
            raise CodeError("该手机号1小时内获取验证码已达5次，请稍后再试")
        if ip and LoginCode.objects.filter(ip=ip, created__gte=hour_ago).count() >= per_ip_hour():
            raise CodeError("当前网络获取验证码过于频繁，请稍后再试")
        code = f"{secrets.randbelow(10 ** 6):06d}"
        LoginCode.objects.filter(phone=phone, used=False).update(used=True)  # only the newest code works
        login = LoginCode.objects.create(phone=phone, digest=_digest(phone, code), created=now,
                                         expires=now + datetime.timedelta(minutes=CODE_MINUTES), ip=ip or None)
    text = f"【教管】您的入学报名登录验证码为{code}，{CODE_MINUTES}分钟内有效。如非本人操作请忽略。"
    # the message is kept like every other, but without the code
    notice = Notice.objects.create(phone=phone, text=f"【教管】入学报名登录验证码（{mask_phone(phone)}，验证码不保存）",
                                   dedupe_key=f"login:{login.pk}", tries=1)
    try:
        sms.backend().send(phone, text)
    except Exception as exc:  # noqa: BLE001 - the provider's failure is the parent's message
        Notice.objects.filter(pk=notice.pk).update(status="failed", error=str(exc)[:200])
        raise CodeError("短信发送失败，请稍后重新获取验证码") from None
    Notice.objects.filter(pk=notice.pk).update(status="sent", sent_at=timezone.now())
    return code


def check_code(phone: str, code: str) -> str:
    """The verified phone number, or CodeError with the reason."""
    phone = valid_phone(phone)
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        raise CodeError("请输入短信中的6位数字验证码")
    login = LoginCode.objects.filter(phone=phone, used=False).order_by("-created", "-pk").first()
    if login is None:
        raise CodeError("请先获取验证码")
    if login.expires <= timezone.now():
        raise CodeError("验证码已过期，请重新获取")
    # claim one attempt first, so that parallel guesses cannot exceed the limit
    if not LoginCode.objects.filter(pk=login.pk, used=False, attempts__lt=MAX_ATTEMPTS).update(attempts=F("attempts") + 1):
        raise CodeError("验证码错误次数过多，已失效，请重新获取")
    login.refresh_from_db(fields=["attempts"])
    if not hmac.compare_digest(login.digest, _digest(phone, code)):
        left = MAX_ATTEMPTS - login.attempts
        if left <= 0:
            raise CodeError("验证码错误次数过多，已失效，请重新获取")
        raise CodeError(f"验证码不正确，还可以再试{left}次")
    if not LoginCode.objects.filter(pk=login.pk, used=False).update(used=True):
        raise CodeError("验证码已使用，请重新获取")
    return phone
