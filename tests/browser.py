"""What the headless-Chromium tests share: Debian's chromium (never a downloaded browser), the
marks that skip a test without it (never in CI), screenshots under test-results/screenshots/,
and logging in through the form as a user would."""
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(__file__).resolve().parent.parent / "test-results" / "screenshots"
DEMO_PASSWORD = "Jiaoguan@2026"  # every demo county log-in
MARKS = [pytest.mark.browser, pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"), reason="chromium not installed")]


def shot(page, name: str) -> None:
    """A full-page screenshot, to be looked at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
