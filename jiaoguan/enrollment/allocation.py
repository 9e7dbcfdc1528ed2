"""Student-proposing deferred acceptance for school places (pure, NumPy; no Django).

Inputs, for N applicants, S schools and lists of at most K choices:
  prefs     int array N×K: school indices, most wanted first, padded with -1
  keys      int array N×K: the applicant's priority key at that choice's school; smaller is
            better. Build it with `priority_keys` (category, then deterministic keys, then one
            lottery rank per applicant used at every school: single tie-breaking).
  capacity  int array S
Output: int array N, the school index each applicant is placed at, or -1.

The result is the student-optimal stable matching for these priorities: nobody prefers a
school that has a free seat or holds someone with a worse key (Gale–Shapley 1962;
Abdulkadiroğlu–Sönmez 2003). It is strategy-proof for applicants when lists are not capped,
which is why the zone school is appended to every list (`append_choice`).
"""
from __future__ import annotations

import heapq

import numpy as np


def priority_keys(category: np.ndarray, tiebreak: np.ndarray, deterministic: np.ndarray | None = None) -> np.ndarray:
    """keys[i, k] = category[i, k] first, then the applicant's deterministic key (smaller first,
    e.g. an earlier 落户 date), then its lottery rank. `tiebreak` is any sortable per-applicant
    value (the lottery hex digests, or integers); one rank per applicant, used at every school."""
    n = category.shape[0]
    det = np.zeros(n, dtype=np.int64) if deterministic is None else np.asarray(deterministic)
    order = np.lexsort((np.asarray(tiebreak), det))  # det first, then lottery
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n, dtype=np.int64)
    return category.astype(np.int64) * n + rank[:, None]


def append_choice(prefs: np.ndarray, category: np.ndarray, school: np.ndarray, school_category: np.ndarray):
    """Append a school (the zone school) to each list that does not already hold it, so that a
    short list never costs a child its zone place. Returns widened (prefs, category)."""
    n, k = prefs.shape
    has = (prefs == school[:, None]).any(axis=1) | (school < 0)
    out_p = np.full((n, k + 1), -1, dtype=prefs.dtype)
    out_c = np.zeros((n, k + 1), dtype=category.dtype)
    out_p[:, :k], out_c[:, :k] = prefs, category
    length = (prefs >= 0).sum(axis=1)
    rows = np.nonzero(~has)[0]
    out_p[rows, length[rows]] = school[rows]
    out_c[rows, length[rows]] = school_category[rows]
    return out_p, out_c


def deferred_acceptance(prefs: np.ndarray, keys: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Round-based DA: every free applicant proposes to its next choice; each school keeps the
    best `capacity` of what it holds and what it was offered; the rest are free again."""
    prefs = np.asarray(prefs, dtype=np.int64)
    keys = np.asarray(keys, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    n, k = prefs.shape
    s_count = capacity.shape[0]
    nxt = np.zeros(n, dtype=np.int64)
    held_i = np.empty(0, dtype=np.int64)
    held_s = np.empty(0, dtype=np.int64)
    held_k = np.empty(0, dtype=np.int64)
    free = np.arange(n, dtype=np.int64)
    touched = np.zeros(s_count, dtype=bool)
    while free.size:
        live = nxt[free] < k
        free = free[live]
        if not free.size:
            break
        s = prefs[free, nxt[free]]
        kk = keys[free, nxt[free]]
        nxt[free] += 1
        ok = s >= 0
        free, s, kk = free[ok], s[ok], kk[ok]
        if not free.size:
            break
        # only schools that received proposals need re-sorting
        touched[:] = False
        touched[s] = True
        moving = touched[held_s]
        pool_i = np.concatenate([held_i[moving], free])
        pool_s = np.concatenate([held_s[moving], s])
        pool_k = np.concatenate([held_k[moving], kk])
        order = np.lexsort((pool_k, pool_s))
        pool_i, pool_s, pool_k = pool_i[order], pool_s[order], pool_k[order]
        first = np.searchsorted(pool_s, pool_s, side="left")
        rank = np.arange(pool_s.size) - first
        keep = rank < capacity[pool_s]
        held_i = np.concatenate([held_i[~moving], pool_i[keep]])
        held_s = np.concatenate([held_s[~moving], pool_s[keep]])
        held_k = np.concatenate([held_k[~moving], pool_k[keep]])
        free = pool_i[~keep]
    assign = np.full(n, -1, dtype=np.int64)
    assign[held_i] = held_s
    return assign


def deferred_acceptance_python(prefs, keys, capacity) -> list[int]:
    """The same algorithm in plain Python (a heap of held keys per school): the reference the
    vectorised version is tested against, and fast enough for one county."""
    n = len(prefs)
    held: list[list] = [[] for _ in capacity]  # max-heaps of (-key, applicant)
    nxt = [0] * n
    assign = [-1] * n
    stack = list(range(n - 1, -1, -1))
    while stack:
        i = stack.pop()
        while nxt[i] < len(prefs[i]) and prefs[i][nxt[i]] >= 0:
            s, key = prefs[i][nxt[i]], keys[i][nxt[i]]
            nxt[i] += 1
            if capacity[s] <= 0:
                continue
            heap = held[s]
            if len(heap) < capacity[s]:
                heapq.heappush(heap, (-key, i))
                assign[i] = s
                break
            worst_key, worst = -heap[0][0], heap[0][1]
            if key < worst_key:
                heapq.heapreplace(heap, (-key, i))
                assign[i] = s
                assign[worst] = -1
                stack.append(worst)
                break
    return assign


def blocking_pairs(prefs: np.ndarray, keys: np.ndarray, capacity: np.ndarray, assign: np.ndarray) -> list[tuple[int, int]]:
    """(applicant, school) pairs that block the assignment: the applicant prefers the school to
    its place, and the school has a free seat or holds someone with a worse key."""
    n, k = prefs.shape
    load = np.bincount(assign[assign >= 0], minlength=capacity.shape[0])
    worst = np.full(capacity.shape[0], -1, dtype=np.int64)
    for i in range(n):
        s = assign[i]
        if s >= 0:
            kk = keys[i][list(prefs[i]).index(s)]
            worst[s] = max(worst[s], kk)
    pairs = []
    for i in range(n):
        for j in range(k):
            s = prefs[i, j]
            if s < 0 or s == assign[i]:
                break
            if load[s] < capacity[s] or keys[i, j] < worst[s]:
                pairs.append((i, int(s)))
    return pairs


def place_remaining(assign: np.ndarray, capacity: np.ndarray, applicant_xy: np.ndarray, school_xy: np.ndarray,
                    order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """统筹: the applicants still unplaced, in `order` (e.g. lottery order), each to the nearest
    school with a free seat. Returns (assign, distance of each placement; nan where not placed here)."""
    assign = assign.copy()
    free = capacity - np.bincount(assign[assign >= 0], minlength=capacity.shape[0])
    distance = np.full(assign.shape[0], np.nan)
    for i in order:
        if assign[i] >= 0 or not np.isfinite(applicant_xy[i]).all():
            continue
        open_ = np.nonzero(free > 0)[0]
        if not open_.size:
            break
        d = np.hypot(*(school_xy[open_] - applicant_xy[i]).T)
        j = int(np.argmin(d))
        assign[i] = open_[j]
        free[open_[j]] -= 1
        distance[i] = d[j]
    return assign, distance
