"""The verifiable lottery (pure, standard library only).

Protocol (docs/lottery.md has it in full, with test vectors):
1. After 资格审核 the roster is frozen: one line per applicant, `token<TAB>category<TAB>points`,
   sorted by token, joined with "\\n", UTF-8; its SHA-256 (`roster_hash`) is published.
2. Entropy fixed in advance and unknown to the bureau: a named future public draw or index value,
   plus seeds committed by hash beforehand (notary, parent representatives) and revealed at the
   ceremony (`commit` / `check_reveal`).
3. seed = SHA-256 hex of "jiaoguan-lottery/v1|<year>|<county>|<roster_hash>|<entropy 1>|<entropy 2>|…"
   (entropy in the announced order).
4. Each applicant's lottery number = HMAC-SHA256(key = seed as UTF-8, message = application number
   as UTF-8), lower-case hex; lower numbers draw first. Re-running gives the same result.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

VERSION = "jiaoguan-lottery/v1"


def new_token(year: int) -> str:
    """A random application number (never derived from an ID number): 2026-7KQ3M9XD."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"{year}-" + "".join(secrets.choice(alphabet) for _ in range(8))


def roster_text(rows: list[tuple[str, str | int, str | int]]) -> str:
    """Canonical roster: (token, category, points) lines sorted by token."""
    return "\n".join(f"{t}\t{c}\t{p}" for t, c, p in sorted(rows, key=lambda r: r[0]))


def roster_hash(rows) -> str:
    return hashlib.sha256(roster_text(rows).encode("utf-8")).hexdigest()


def commit(secret: str) -> str:
    """What a seed holder publishes before the ceremony."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_reveal(secret: str, commitment: str) -> bool:
    return hmac.compare_digest(commit(secret), commitment)


def draw_seed(year: int | str, county: str, roster_sha256: str, entropy: list[str]) -> str:
    text = "|".join([VERSION, str(year), county, roster_sha256, *entropy])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lottery_number(seed: str, token: str) -> str:
    return hmac.new(seed.encode("utf-8"), token.encode("utf-8"), hashlib.sha256).hexdigest()


def draw(seed: str, tokens: list[str]) -> list[tuple[str, str]]:
    """(token, lottery number) in draw order: lower numbers first, ties (never seen) by token."""
    return sorted(((t, lottery_number(seed, t)) for t in tokens), key=lambda x: (x[1], x[0]))


def verify(seed: str, rows: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(token, published, expected) for every published lottery number that does not match."""
    bad = []
    for token, published in rows:
        expected = lottery_number(seed, token)
        if (published or "").strip().lower() != expected:
            bad.append((token, published, expected))
    return bad


def mask_name(name: str) -> str:
    """张小明 → 张*明, 李四 → 李*, for published lists."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
