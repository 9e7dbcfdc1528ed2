"""The HTTP backend for a provincial data-sharing platform: POST {"kind", "id_number"} as JSON,
expect {"found": true|false, "data": {...}}. Time-outs, retries with back-off, and a circuit
breaker: after `failures` consecutive failures the platform is not called for `reset` seconds and
checks come back `queued`, so the application waits in the background instead of failing."""
from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

from .base import BaseBackend, Result, facts_from

_breakers: dict[str, dict] = {}
_lock = threading.Lock()


class HttpBackend(BaseBackend):
    name = "http"

    def __init__(self, url: str = "", timeout: float = 3.0, retries: int = 2, backoff: float = 0.2,
                 failures: int = 5, reset: float = 60.0, token: str = "", **options):
        self.url, self.timeout, self.retries, self.backoff = url, timeout, retries, backoff
        self.failures, self.reset, self.token = failures, reset, token

    # -- circuit breaker, per platform URL, shared by the threads of a process
    def _breaker(self) -> dict:
        with _lock:
            return _breakers.setdefault(self.url, {"failures": 0, "opened": 0.0})

    def _is_open(self) -> bool:
        b = self._breaker()
        return b["failures"] >= self.failures and time.monotonic() - b["opened"] < self.reset

    def _record(self, ok: bool) -> None:
        b = self._breaker()
        with _lock:
            if ok:
                b["failures"] = 0
            else:
                b["failures"] += 1
                if b["failures"] >= self.failures:
                    b["opened"] = time.monotonic()

    def check(self, kind: str, id_number: str) -> Result:
        request = {"kind": kind, "id_number": id_number}
        if self._is_open():
            return Result(kind, "queued", request=request, error="省级数据共享平台暂时不可用（熔断中），稍后自动重试")
        body = json.dumps(request).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        error = ""
        started = time.perf_counter()
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                req = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    raw = resp.read(1_000_000)
                answer = json.loads(raw)
                if not isinstance(answer, dict) or "found" not in answer or not isinstance(answer.get("data", {}), dict):
                    raise ValueError("应答格式不正确")
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                error = f"无法连接数据共享平台：{getattr(exc, 'reason', exc)}"
                continue
            except ValueError as exc:  # garbage: retrying will not help
                self._record(False)
                ms = int((time.perf_counter() - started) * 1000)
                return Result(kind, "error", request=request, response={"raw": raw[:500].decode("utf-8", "replace")},
                              error=f"数据共享平台返回了无法识别的结果（{exc}）", milliseconds=ms)
            self._record(True)
            ms = int((time.perf_counter() - started) * 1000)
            if not answer["found"]:
                return Result(kind, "not_found", request=request, response=answer, milliseconds=ms)
            return Result(kind, "match", facts_from(kind, answer.get("data") or {}), request=request, response=answer, milliseconds=ms)
        self._record(False)
        ms = int((time.perf_counter() - started) * 1000)
        return Result(kind, "queued", request=request, error=error + "，稍后自动重试", milliseconds=ms)
