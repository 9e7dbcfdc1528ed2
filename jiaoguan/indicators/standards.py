"""Load standards kept as TOML data files (one file per standard and version)."""
from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

STANDARDS_DIR = Path(__file__).parent / "standards"


@cache
def load(standard_id: str) -> dict:
    path = STANDARDS_DIR / f"{standard_id}.toml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in STANDARDS_DIR.glob("*.toml")))
        raise KeyError(f"未知的标准 {standard_id}（可用：{known}）")
    with path.open("rb") as fh:
        return tomllib.load(fh)
