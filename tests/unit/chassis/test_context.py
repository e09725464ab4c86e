import pytest

from chassis.context import SYSTEM, UNNAMED, Caller, on_the_wire
from chassis.errors import Forbidden


def test_caller_round_trips_through_context_data():
    caller = Caller("k1", "branch", branch="KMN")
    assert Caller.from_context({"caller": caller.as_context()}) == caller


def test_no_caller_means_a_call_from_inside_the_platform():
    assert Caller.from_context({}) is SYSTEM
    assert SYSTEM.is_admin


def test_branch_keys_act_only_at_their_branch():
    caller = Caller("k1", "branch", branch="KMN")
    caller.require_branch("KMN")
    with pytest.raises(Forbidden):
        caller.require_branch("SPN")
    with pytest.raises(Forbidden):
        Caller("p1", "partner", partner="UNJA").require_role("branch")
    Caller("a1", "admin").require_branch("SPN")


def test_an_event_carries_the_callers_role_and_branch_but_never_its_key_id():
    caller = Caller("k1", "branch", branch="KMN")
    wire = on_the_wire(caller.as_context())
    assert wire == {"role": "branch", "branch": "KMN", "partner": None}
    assert Caller.from_context({"caller": wire}) == Caller(UNNAMED, "branch", branch="KMN")
