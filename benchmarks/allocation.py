"""Deferred acceptance at county, city and province scale, next to the `matching` package's
HospitalResident solver on 10,000 applicants (pure; no database)."""
from __future__ import annotations

import resource
import sys
import threading
import time

import numpy as np

from jiaoguan.enrollment import allocation


def instance(n: int, seed: int = 1):
    """N applicants, N/100 schools with lognormal popularity, 3 choices each (zone school first
    for 70%), categories by the applicant's tie to the school, one lottery rank per applicant."""
    rng = np.random.default_rng(seed)
    s = max(n // 100, 1)
    pop = rng.lognormal(0, 1, s)
    pop /= pop.sum()
    capacity = np.maximum(1, np.round(pop * n * 1.05)).astype(np.int64)
    zone = rng.choice(s, size=n, p=pop)
    prefs = np.empty((n, 3), dtype=np.int64)
    prefs[:, 0] = np.where(rng.random(n) < 0.7, zone, rng.choice(s, size=n, p=pop))
    prefs[:, 1] = rng.choice(s, size=n, p=pop)
    prefs[:, 2] = rng.choice(s, size=n, p=pop)
    # no school twice in a list
    prefs[:, 1] = np.where(prefs[:, 1] == prefs[:, 0], (prefs[:, 1] + 1) % s, prefs[:, 1])
    prefs[:, 2] = np.where((prefs[:, 2] == prefs[:, 0]) | (prefs[:, 2] == prefs[:, 1]), -1, prefs[:, 2])
    status = rng.choice([1, 2, 3, 4], size=n, p=[0.5, 0.15, 0.15, 0.2])
    category = np.where(prefs == zone[:, None], status[:, None], 5)
    keys = allocation.priority_keys(category, rng.permutation(n))
    return prefs, keys, capacity


def timed(fn, repeat: int = 3):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def matching_baseline(prefs, keys, capacity) -> tuple[float, np.ndarray]:
    """The `matching` package's HospitalResident (resident-optimal), built from dicts."""
    from matching.games import HospitalResident

    n = len(prefs)
    result = {}

    def solve():
        resident_prefs = {i: [int(s) for s in row if s >= 0] for i, row in enumerate(prefs)}
        applicants_of = {}
        for i, row in enumerate(prefs):
            for j, s in enumerate(row):
                if s >= 0:
                    applicants_of.setdefault(int(s), []).append((int(keys[i, j]), i))
        hospital_prefs = {s: [i for _, i in sorted(v)] for s, v in applicants_of.items()}
        caps = {s: int(capacity[s]) for s in hospital_prefs}
        started = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, caps)
        matching = game.solve(optimal="resident")
        result["seconds"] = time.perf_counter() - started
        assign = np.full(n, -1)
        for hospital, residents in matching.items():
            for r in residents:
                assign[r.name] = hospital.name
        result["assign"] = assign

    sys.setrecursionlimit(10**7)
    threading.stack_size(1 << 30)
    t = threading.Thread(target=solve)
    t.start()
    t.join()
    threading.stack_size(0)
    return result["seconds"], result["assign"]


def run() -> dict:
    out = {}
    for n in (10_000, 100_000, 1_000_000):
        prefs, keys, capacity = instance(n)
        before = peak_mb()
        seconds, assign = timed(lambda: allocation.deferred_acceptance(prefs, keys, capacity), repeat=3 if n < 1_000_000 else 2)
        out[n] = {"seconds": seconds, "placed": int((assign >= 0).sum()), "schools": capacity.size, "peak_mb": peak_mb(), "delta_mb": peak_mb() - before}
        if n == 10_000:
            py_s, py_assign = timed(lambda: allocation.deferred_acceptance_python(prefs.tolist(), keys.tolist(), capacity.tolist()))
            assert list(assign) == py_assign
            out["python_10k"] = py_s
            base_s, base_assign = matching_baseline(prefs, keys, capacity)
            assert (base_assign == assign).all(), "the baseline disagrees"
            out["matching_10k"] = base_s
    return out


if __name__ == "__main__":
    print(run())
