import pytest


@pytest.fixture
def world(db):
    from .factories import build_world

    return build_world()
