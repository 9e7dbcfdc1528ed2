from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass
class Result:
    """One department's answer about one person.

    outcome: match (record found, facts filled), not_found, error (bad answer), queued (the
    department could not be asked now: try again later; the parent is not blamed)."""

    kind: str
    outcome: str
    facts: dict = field(default_factory=dict)
    request: dict = field(default_factory=dict)
    response: dict = field(default_factory=dict)
    error: str = ""
    milliseconds: int = 0


class BaseBackend(ABC):
    name = "base"

    @abstractmethod
    def check(self, kind: str, id_number: str) -> Result:
        """Ask the department about one person; never raise for the department's failures."""


def facts_from(kind: str, data: dict) -> dict:
    """Department data → the policy's facts (see enrollment/policy.py)."""
    import datetime

    def date(v):
        try:
            return datetime.date.fromisoformat(v) if v else None
        except (TypeError, ValueError):
            return None

    if kind == "hukou":
        return {"hukou_address": data.get("address", ""), "hukou_since": date(data.get("since")), "hukou_holder": data.get("holder", "parent")}
    if kind == "property":
        return {"property_address": data.get("address", ""), "property_owner": data.get("owner", "parent"),
                "property_share": float(data.get("share", 1) or 0), "property_since": date(data.get("since")),
                "property_used": bool(data.get("used_recently", False))}
    if kind == "residence":
        return {"residence_permit": True, "residence_address": data.get("address", ""), "residence_since": date(data.get("since"))}
    if kind == "social_insurance":
        return {"social_insurance_months": int(data.get("months", 0) or 0)}
    return {}
