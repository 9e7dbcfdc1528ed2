"""Load test of the parent submission endpoint on loopback: gunicorn + PostgreSQL (a throwaway
cluster when run as root), 100 concurrent users with locust, next to a minimal Django view
(/healthz) under the same load generator and server in the same run. Afterwards the database is
checked: every accepted submission is one application, none lost, none twice.

Run: `.venv/bin/python -m benchmarks.load_parent` (part of `make bench`). Not a test.
"""
from __future__ import annotations

import csv
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8137
PG_PORT = 55437
USERS = 100
SECONDS = 30

LOCUSTFILE = r'''
import itertools, json, os, re, uuid
from urllib.parse import urlencode
from locust import HttpUser, task, constant
from jiaoguan.core.idnumbers import id_check_char

SESSIONS = json.load(open(os.environ["LOAD_SESSIONS"]))
CAMPAIGN = int(os.environ["LOAD_CAMPAIGN"])
counter = itertools.count(int(os.environ.get("LOAD_OFFSET", "0")))
ACCEPTED = open(os.environ["LOAD_ACCEPTED"], "a", buffering=1)  # line-buffered: every accepted child is on disk
TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

class Parent(HttpUser):
    """A parent's phone: opens the form once, then submits; each submission carries a fresh
    submission id, as each freshly opened form would (the endpoint under test is the POST)."""
    wait_time = constant(0)

    def on_start(self):
        self.client.cookies.set("sessionid", SESSIONS[next(counter) % len(SESSIONS)])
        page = self.client.get(f"/ruxue/apply/{CAMPAIGN}/", name="GET 报名表").text
        self.fixed = urlencode({
            "csrfmiddlewaretoken": CSRF.search(page).group(1), "form_token": TOKEN.search(page).group(1), "child_name": "张小明",
            "guardian_name": "张建国", "guardian_relation": "父亲", "property_address": "湘潭县易俗河镇金霞小区3栋", "promise": "on"})

    @task
    def submit(self):
        n = next(counter)
        birth = f"2020{1 + n % 224 // 28:02d}{1 + n % 28:02d}"  # distinct children for the first 224,000 submissions
        body = f"430321{birth}{n // 224 % 1000:03d}"
        idn = body + id_check_char(body)
        gbody = f"43032119880512{n % 1000:03d}"
        guardian = gbody + id_check_char(gbody)
        # the form encoded once per parent, the child's fields appended: the load generator shares
        # the two cores with the server, so it spends as little as it can per request
        body = f"{self.fixed}&submission_id={uuid.uuid4().hex}&child_id_number={idn}&guardian_id_number={guardian}"
        with self.client.post(f"/ruxue/apply/{CAMPAIGN}/", name="POST 提交报名", allow_redirects=False, catch_response=True,
                              data=body, headers=FORM) as r:
            if r.status_code == 302 and "/ruxue/a/" in r.headers.get("Location", ""):
                r.success()
                ACCEPTED.write(idn + "\n")
            else:
                err = re.search(r'class="(?:alert error|errorlist)[^"]*">(.*?)<', r.text or "")
                r.failure(f"status {r.status_code} {err.group(1) if err else ''}")

class Minimal(HttpUser):
    wait_time = constant(0)

    @task
    def ping(self):
        self.client.get("/healthz", name="GET /healthz（最小视图）")
'''

SETUP = r'''
import datetime, json, sys
from django.contrib.sessions.backends.db import SessionStore
from jiaoguan.enrollment.models import Campaign
from tests.factories import build_world
w = build_world()
c = Campaign.objects.create(county=w["county"], year=w["years"][1], stage="primary", name="压测", status=Campaign.Status.OPEN,
                            policy={"categories": [{"id": "A", "name": "户籍", "all": ["hukou_in_zone"]}]})
keys = []
for i in range(200):
    s = SessionStore()
    s["enrol_phone"] = f"139{i:08d}"
    s.create()
    keys.append(s.session_key)
json.dump({"campaign": c.pk, "sessions": keys}, open(sys.argv[1], "w"))
'''


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def locust(env, cls, csv_prefix, seconds=SECONDS):
    subprocess.run([sys.executable, "-m", "locust", "-f", str(env["LOAD_FILE"]), cls, "--headless", "-u", str(USERS), "-r", "50",
                    "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}", "--csv", csv_prefix, "--only-summary"],
                   env=env, cwd=ROOT, capture_output=True, text=True, timeout=seconds + 120)
    rows = {r["Name"]: r for r in csv.DictReader(open(f"{csv_prefix}_stats.csv", encoding="utf-8"))}
    return rows


def run() -> dict:
    work = Path(tempfile.mkdtemp(prefix="jiaoguan-load-"))
    env = os.environ | {"JIAOGUAN_VAR": str(work), "DJANGO_SETTINGS_MODULE": "jiaoguan.settings", "SECRET_KEY": "load-test-" + "x" * 50,
                        "ENROLLMENT_CODES_PER_IP_HOUR": "1000000", "TASK_BACKEND": "django_tasks_db.backend.DatabaseBackend",
                        "SMS_BACKEND": "jiaoguan.enrollment.sms.FileBackend", "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_VERSION", None)
    cluster = None
    if os.geteuid() == 0 and shutil.which("pg_createcluster"):
        version = re.search(r"\d+", sh(["psql", "--version"]).stdout).group(0)
        subprocess.run(["pg_dropcluster", "--stop", version, "load"], capture_output=True)
        sh(["pg_createcluster", version, "load", "-p", str(PG_PORT), "--start", "--", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"])
        cluster = version
        sh(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-qc", "CREATE DATABASE load"])
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PG_PORT}/load"
    database = "PostgreSQL" if cluster else "SQLite"
    server = None
    try:
        sh([sys.executable, "-m", "jiaoguan", "migrate", "-v0"], env=env, cwd=ROOT)
        sh([sys.executable, "-m", "jiaoguan", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT)
        setup = work / "setup.json"
        sh([sys.executable, "-m", "jiaoguan", "shell", "-c", SETUP.replace("sys.argv[1]", repr(str(setup)))], env=env, cwd=ROOT)
        info = json.load(open(setup))
        (work / "sessions.json").write_text(json.dumps(info["sessions"]))
        (work / "locustfile.py").write_text(LOCUSTFILE)
        env |= {"LOAD_SESSIONS": str(work / "sessions.json"), "LOAD_CAMPAIGN": str(info["campaign"]),
                "LOAD_ACCEPTED": str(work / "accepted.txt"), "LOAD_FILE": str(work / "locustfile.py")}
        # sync workers are CPU-bound here: one per core and one more for the time spent waiting on
        # PostgreSQL (gunicorn's usual 2 × cores + 1 measured slower: more switching on two cores)
        workers = (os.cpu_count() or 1) + 1
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "jiaoguan.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(workers),
                                   "--no-control-socket", "--log-level", "warning"], env=env, cwd=ROOT)
        time.sleep(3)
        # warm up every worker on both paths (imports, connections), with children of their own
        locust(env | {"LOAD_OFFSET": "150000"}, "Parent", str(work / "warm-submit"), seconds=5)
        locust(env, "Minimal", str(work / "warm-minimal"), seconds=5)
        minimal = locust(env, "Minimal", str(work / "minimal"))["GET /healthz（最小视图）"]
        submit_rows = locust(env, "Parent", str(work / "submit"))
        submit = submit_rows["POST 提交报名"]
        accepted = [x for x in (work / "accepted.txt").read_text().split() if x] if (work / "accepted.txt").exists() else []
        ids_file = work / "stored.txt"
        sh([sys.executable, "-m", "jiaoguan", "shell", "-c",
            "from jiaoguan.enrollment.models import Application as A;"
            f"open({str(ids_file)!r}, 'w').write(chr(10).join(A.objects.values_list('child_id_number', flat=True)))"], env=env, cwd=ROOT)
        stored = ids_file.read_text().split()
        rows, duplicated = len(stored), len(stored) - len(set(stored))
        lost = len(set(accepted) - set(stored))
        return {
            "database": database, "workers": workers, "users": USERS, "seconds": SECONDS,
            "minimal_rps": float(minimal["Requests/s"]), "minimal_p50": float(minimal["50%"]), "minimal_p99": float(minimal["99%"]),
            "minimal_failures": int(minimal["Failure Count"]),
            "submit_rps": float(submit["Requests/s"]), "submit_p50": float(submit["50%"]), "submit_p99": float(submit["99%"]),
            "submit_failures": int(submit["Failure Count"]), "submit_requests": int(submit["Request Count"]),
            "form_rps": float(submit_rows["GET 报名表"]["Requests/s"]),
            "accepted": len(accepted), "rows": rows, "duplicated": duplicated, "lost": lost,
        }
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)
        if cluster:
            subprocess.run(["pg_dropcluster", "--stop", cluster, "load"], capture_output=True)


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=1))
