import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    from .factories import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    """Uploads and error workbooks of a test go to its own folder; passwords hash fast."""
    import jiaoguan.core.import_views as iv

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    iv.UPLOAD_DIR = tmp_path / "imports"
    yield
