# jiaoguan (教管). The two commands a new machine needs: `make run` and `make test`.
PY := $(shell for c in "env PYENV_VERSION=3.13.0 python3" "env PYENV_VERSION=3.12.1 python3" python3.13 python3.12 python3; do \
        $$c -c "import sys; sys.exit(sys.version_info < (3, 12))" 2>/dev/null && { echo $$c; break; }; done)
V := .venv
BIN := $(V)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench sysdeps install check-python
.DEFAULT_GOAL := run

check-python:
	@test -n '$(PY)' || { echo "需要 Python >= 3.12（Django 6）。Python >= 3.12 is required."; exit 1; }

$(V)/.ok: requirements.txt requirements-dev.txt pyproject.toml | check-python
	$(PY) -m venv $(V)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

install: $(V)/.ok

# Debian packages for browser tests, Chinese fonts and PDF checks; only installed when missing
# and when running as root (CI, fresh machines). Idempotent.
sysdeps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "安装系统依赖:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "缺少系统依赖:$$missing（请以 root 运行 make sysdeps，或 sudo apt-get install$$missing）"; fi; \
	fi

run: $(V)/.ok
	$(BIN)/jiaoguan migrate --noinput -v0
	$(BIN)/jiaoguan demo --seed 1 --if-empty
	$(BIN)/jiaoguan collectstatic --noinput -v0
	@echo "打开 http://$(HOST):$(PORT)/ （Ctrl+C 停止）"
	$(BIN)/jiaoguan db_worker --queue-name default >var/worker.log 2>&1 & echo $$! > var/worker.pid
	trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn jiaoguan.wsgi -b $(HOST):$(PORT) -w 3 --timeout 120 --no-control-socket --access-logfile - \
	  --access-logformat '%(t)s "%(r)s" %(s)s %(M)sms'

test: $(V)/.ok sysdeps
	$(BIN)/jiaoguan collectstatic --noinput -v0
	TASK_BACKEND=django.tasks.backends.immediate.ImmediateBackend $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: $(V)/.ok
	$(BIN)/python -m benchmarks.run
