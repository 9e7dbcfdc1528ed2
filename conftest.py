"""Test-wide settings: tasks run immediately, passwords hash fast, static names are plain."""
import os

import pytest

from tests.browser import CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium (never a downloaded browser), with the flags this machine needs."""
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    return {"locale": "zh-CN", "viewport": {"width": 1280, "height": 800}}

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
