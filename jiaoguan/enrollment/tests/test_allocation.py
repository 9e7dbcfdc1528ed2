"""Deferred acceptance: stable, student-optimal (brute force on tiny instances), capacities kept,
nobody placed twice, equal to the plain-Python reference; 统筹 to the nearest free seat."""
import itertools

import numpy as np
from hypothesis import given, settings, strategies as st

from jiaoguan.enrollment import allocation as a


def instance(draw_, n_max=30, s_max=6, k_max=3):
    n = draw_(st.integers(1, n_max))
    s = draw_(st.integers(1, s_max))
    k = draw_(st.integers(1, min(k_max, s)))
    prefs = np.full((n, k), -1, dtype=np.int64)
    for i in range(n):
        length = draw_(st.integers(0, k))
        prefs[i, :length] = draw_(st.permutations(range(s)))[:length]
    category = np.array(draw_(st.lists(st.lists(st.integers(1, 4), min_size=k, max_size=k), min_size=n, max_size=n)), dtype=np.int64)
    lottery_values = draw_(st.permutations(range(n)))
    capacity = np.array(draw_(st.lists(st.integers(0, 4), min_size=s, max_size=s)), dtype=np.int64)
    keys = a.priority_keys(category, np.array(lottery_values))
    return prefs, keys, capacity


@st.composite
def instances(draw, **kw):
    return instance(draw, **kw)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_stable_within_capacity_and_equal_to_reference(inst):
    prefs, keys, capacity = inst
    assign = a.deferred_acceptance(prefs, keys, capacity)
    assert a.blocking_pairs(prefs, keys, capacity, assign) == []
    load = np.bincount(assign[assign >= 0], minlength=capacity.size)
    assert (load <= capacity).all()
    for i, s in enumerate(assign):  # placed only at a school on its own list
        assert s == -1 or s in prefs[i]
    assert list(assign) == a.deferred_acceptance_python(prefs.tolist(), keys.tolist(), capacity.tolist())


def all_matchings(prefs, capacity):
    options = [[-1] + [int(s) for s in row if s >= 0] for row in prefs]
    for combo in itertools.product(*options):
        load = np.bincount([s for s in combo if s >= 0], minlength=capacity.size)
        if (load <= capacity).all():
            yield np.array(combo)


def rank_of(prefs, i, s):
    return list(prefs[i]).index(s) if s >= 0 else len(prefs[i]) + 1


@settings(max_examples=120, deadline=None)
@given(instances(n_max=6, s_max=3, k_max=3))
def test_student_optimal_by_brute_force(inst):
    prefs, keys, capacity = inst
    ours = a.deferred_acceptance(prefs, keys, capacity)
    stable = [mm for mm in all_matchings(prefs, capacity) if not a.blocking_pairs(prefs, keys, capacity, mm)]
    assert any((mm == ours).all() for mm in stable)
    for mm in stable:
        for i in range(len(prefs)):
            assert rank_of(prefs, i, ours[i]) <= rank_of(prefs, i, mm[i])


def test_hand_checked_example():
    # school 0 has one seat; A (category 1) beats B (category 2) there although B has the better lottery
    prefs = np.array([[0, 1], [0, 1], [1, -1]])
    category = np.array([[1, 1], [2, 1], [1, 0]])
    keys = a.priority_keys(category, np.array([2, 0, 1]))
    assign = a.deferred_acceptance(prefs, keys, np.array([1, 1]))
    # B is rejected at 0 and goes to 1, where C (lottery 1) loses to B (lottery 0) in the same category
    assert list(assign) == [0, 1, -1]


def test_private_lottery_loss_falls_back_to_zone_school():
    """公民同招: a child who loses the private school's lottery keeps its zone place."""
    prefs = np.array([[0, -1], [0, -1]])           # both only chose the private school 0
    category = np.array([[1, 0], [1, 0]])
    zone = np.array([1, 2])                        # each has a zone school
    prefs2, category2 = a.append_choice(prefs, category, zone, np.array([1, 1]))
    assert prefs2.tolist() == [[0, 1, -1], [0, 2, -1]]
    keys = a.priority_keys(category2, np.array([5, 3]))  # applicant 1 draws first
    assign = a.deferred_acceptance(prefs2, keys, np.array([1, 5, 5]))
    assert list(assign) == [1, 0]


def test_place_remaining_nearest_free_seat():
    assign = np.array([0, -1, -1, -1])
    capacity = np.array([1, 1, 2])
    school_xy = np.array([[0.0, 0.0], [10.0, 0.0], [3.0, 0.0]])
    applicant_xy = np.array([[0, 0], [2.0, 0.0], [9.0, 0.0], [np.nan, np.nan]])
    out, dist = a.place_remaining(assign, capacity, applicant_xy, school_xy, order=np.array([1, 2, 3]))
    assert list(out) == [0, 2, 1, -1]           # 1 → school 2 (1 km), 2 → school 1 (1 km); 3 has no address
    assert dist[1] == 1.0 and dist[2] == 1.0 and np.isnan(dist[3])
