"""SMS backends, pluggable like Django's e-mail backends (SMS_BACKEND in settings): console and
file backends by default, an HTTP provider backend for production. `notify` keeps every message,
deduplicates on (application, event) and retries failures."""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

MAX_TRIES = 3


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        print(f"[短信] {phone}: {text}")


class FileBackend:
    """Appends one JSON line per message to SMS_FILE (default var/sms.log)."""

    def send(self, phone: str, text: str) -> None:
        path = Path(getattr(settings, "SMS_FILE", settings.VAR_DIR / "sms.log"))
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"at": timezone.now().isoformat(), "phone": phone, "text": text}, ensure_ascii=False) + "\n")


class HttpBackend:
    """POST {"phone", "text"} to SMS_HTTP_URL; any non-2xx or network error raises."""

    def send(self, phone: str, text: str) -> None:
        req = urllib.request.Request(settings.SMS_HTTP_URL, data=json.dumps({"phone": phone, "text": text}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=5) as resp:
            if resp.status >= 300:
                raise OSError(f"短信平台返回 {resp.status}")


def backend():
    return import_string(getattr(settings, "SMS_BACKEND", "jiaoguan.enrollment.sms.FileBackend"))()


def notify(application, event: str, text: str):
    """Keep and send one message per (application, event); a repeated event sends nothing new."""
    from .models import Notice

    key = f"{application.pk}:{event}"
    try:
        with transaction.atomic():
            notice = Notice.objects.create(application=application, phone=application.guardian_phone, text=text, dedupe_key=key)
    except IntegrityError:
        return Notice.objects.get(dedupe_key=key)
    deliver(notice)
    return notice


def deliver(notice) -> None:
    """Try to send; failures are kept with their error and retried by `retry_failed`."""
    notice.tries += 1
    try:
        backend().send(notice.phone, notice.text)
    except Exception as exc:  # noqa: BLE001 - any provider failure is recorded, not raised
        notice.status = "failed" if notice.tries >= MAX_TRIES else "pending"
        notice.error = str(exc)[:200]
    else:
        notice.status, notice.sent_at, notice.error = "sent", timezone.now(), ""
    notice.save(update_fields=["tries", "status", "sent_at", "error"])


def retry_failed() -> int:
    from .models import Notice

    pending = list(Notice.objects.filter(status="pending", tries__gt=0))
    for notice in pending:
        deliver(notice)
    return len(pending)


class LocmemBackend:
    """Keeps messages in `LocmemBackend.outbox` (a list of (phone, text)), for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        LocmemBackend.outbox.append((phone, text))
