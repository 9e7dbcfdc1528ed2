"""A data version for cached pages (the dashboard): bumped on every write to the registry, an
import or a new supervision run, so a cached figure never outlives the data it came from."""
from django.core.cache import cache

KEY = "jiaoguan:data-version"


def version() -> int:
    v = cache.get(KEY)
    if v is None:
        cache.add(KEY, 1, None)
        v = cache.get(KEY, 1)
    return v


def bump(*args, **kwargs) -> None:
    try:
        cache.incr(KEY)
    except ValueError:
        cache.set(KEY, 2, None)
