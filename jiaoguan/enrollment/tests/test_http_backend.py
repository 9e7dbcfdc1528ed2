"""The HTTP verification backend against a fake department server on 127.0.0.1: success,
not found, time-out, malformed answer, server down → circuit open → queued."""
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jiaoguan.enrollment.verification import http

MODE = {"value": "ok"}


class Department(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        mode = MODE["value"]
        if mode == "slow":
            time.sleep(0.5)
        if mode == "garbage":
            payload = b"<html>502 Bad Gateway</html>"
        elif mode == "not_found":
            payload = json.dumps({"found": False}).encode()
        else:
            payload = json.dumps({"found": True, "data": {"address": "湘潭县金霞小区3栋", "since": "2018-05-01", "echo": body["id_number"]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Department)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    http._breakers.clear()
    yield f"http://127.0.0.1:{srv.server_address[1]}/verify"
    srv.shutdown()
    srv.server_close()


def backend(url, **kw):
    return http.HttpBackend(url=url, timeout=kw.pop("timeout", 1.0), retries=kw.pop("retries", 1), backoff=0.01, **kw)


def test_match_and_not_found(server):
    MODE["value"] = "ok"
    r = backend(server).check("hukou", "430321202003010011")
    assert r.outcome == "match" and r.facts["hukou_address"] == "湘潭县金霞小区3栋"
    assert r.response["data"]["echo"] == "430321202003010011"  # the answer is kept as evidence
    MODE["value"] = "not_found"
    assert backend(server).check("hukou", "x").outcome == "not_found"


def test_timeout_is_queued_not_failed(server):
    MODE["value"] = "slow"
    r = backend(server, timeout=0.1, retries=1).check("property", "x")
    assert r.outcome == "queued" and "稍后自动重试" in r.error


def test_garbage_answer_is_an_error(server):
    MODE["value"] = "garbage"
    r = backend(server).check("property", "x")
    assert r.outcome == "error" and "无法识别" in r.error and "502" in r.response["raw"]


def test_server_down_opens_the_circuit(server):
    url = server.replace("/verify", "/nowhere")
    down = "http://127.0.0.1:9/verify"  # nothing listens on the discard port
    b = backend(down, retries=0, failures=3, reset=60)
    outcomes = [b.check("hukou", "x").outcome for _ in range(3)]
    assert outcomes == ["queued"] * 3
    started = time.perf_counter()
    r = b.check("hukou", "x")
    assert r.outcome == "queued" and "熔断" in r.error
    assert time.perf_counter() - started < 0.05  # not even tried while open
    assert url  # the healthy server is unaffected: circuits are per platform URL
    MODE["value"] = "ok"
    assert backend(server).check("hukou", "x").outcome == "match"


@pytest.mark.django_db
def test_queued_applications_are_retried(settings, tmp_path):
    """A department that was down: the application waits, and `verify_pending` asks again."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from jiaoguan.enrollment.models import Application, Campaign, DepartmentRecord
    from tests.factories import build_world, make_id

    settings.SMS_FILE = tmp_path / "sms.log"
    world = build_world()
    campaign = Campaign.objects.create(county=world["county"], year=world["years"][1], stage="primary", name="c",
                                       policy={"categories": [{"id": "A", "all": []}]}, status=Campaign.Status.REVIEW)
    app = Application.objects.create(campaign=campaign, token="2026-RETRY001", child_id_number=make_id("430321", dt.date(2020, 3, 1), 1),
                                     child_name="张小明", child_sex="男", child_birth_date=dt.date(2020, 3, 1), guardian_name="家长",
                                     guardian_phone="13800000000", status=Application.Status.VERIFYING)
    Application.objects.filter(pk=app.pk).update(updated=timezone.now() - dt.timedelta(hours=1))
    DepartmentRecord.objects.create(kind="hukou", id_number=app.child_id_number, data={"address": "某地"})
    call_command("verify_pending", stdout=io.StringIO())
    app.refresh_from_db()
    assert app.status != Application.Status.VERIFYING
    assert app.verifications.filter(kind="hukou", outcome="match").exists()
