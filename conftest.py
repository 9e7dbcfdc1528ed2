"""Test-wide settings: tasks run immediately, passwords hash fast, static names are plain."""
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop next to the sync ORM


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    import jiaoguan.core.import_views as iv

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # hashed (manifest) static names exist only after collectstatic; tests serve plain names
    settings.STORAGES = settings.STORAGES | {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    iv.UPLOAD_DIR = tmp_path / "imports"
    from django.core.cache import cache

    cache.clear()  # the dashboard cache must not carry one test's figures into the next
    yield
