"""Log-in lockout, password rules, session timeout, deploy checks."""
import datetime
import os
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from jiaoguan.core.models import AuditLog, User

from .factories import PASSWORD


def test_lockout_after_five_failures(world, settings):
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = client.post("/accounts/login/", {"username": "jiaoji", "password": "wrong"})
        assert "用户名或密码错误" in response.content.decode()
    assert User.objects.get(username="jiaoji").is_locked
    # even the right password is refused while locked
    response = client.post("/accounts/login/", {"username": "jiaoji", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert AuditLog.objects.filter(action=AuditLog.Action.LOCKED, username="jiaoji").count() == 1
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGIN_FAILED).count() >= 5


def test_successful_login_is_audited_and_resets_counter(world):
    client = Client()
    client.post("/accounts/login/", {"username": "leader", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(username="leader").failed_logins == 0
    assert AuditLog.objects.filter(action=AuditLog.Action.LOGIN, username="leader").exists()


def test_pages_need_login(db):
    response = Client().get("/registry/pupils/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("password,ok", [("short1A!", False), ("alllowercaseletters", False), ("Jiaoguan@2026", True), ("Abcdefgh1234", True)])
def test_password_rules(password, ok, db):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_session_expires_after_idle_and_is_renewed_at_most_once_a_minute(world, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    client.post("/accounts/login/", {"username": "leader", "password": PASSWORD})
    key = client.cookies["sessionid"].value

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    first = expiry()
    assert first > timezone.now() + datetime.timedelta(minutes=29)
    assert client.get("/").status_code == 200
    assert expiry() == first  # used again within the minute: no write
    # a minute later the next page renews the 30 minutes
    store = SessionStore(key)
    store["_touched"] -= 61
    store.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=2))
    assert client.get("/").status_code == 200
    assert expiry() > timezone.now() + datetime.timedelta(minutes=29)
    # idle past the limit: logged out
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_deploy_check_clean_with_production_settings():
    env = os.environ | {"JIAOGUAN_PRODUCTION": "1", "SECRET_KEY": "x" * 60 + "production-secret-key-for-check", "DEBUG": "0",
                        "ALLOWED_HOSTS": "edu.example.gov.cn"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set only for the browser tests
    result = subprocess.run([sys.executable, "-m", "jiaoguan", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
