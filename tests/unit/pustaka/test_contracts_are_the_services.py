"""Each part's contract is its service: the @rpc methods of its service class are
exactly its contract's methods, each taking the same parameters in the same order.
The gateway calls a service from its contract, and the broker's table of who may
call what is made from it, so a method on one side only is a call nobody can make
or a call that fails at run time."""

import inspect

import pytest
from nameko.extensions import ENTRYPOINT_EXTENSIONS_ATTR
from nameko.rpc import Rpc

from chassis.contract import Contract, Method
from chassis.nameko.service import ServiceBase, read, rpc, write
from pustaka.parts import PARTS
from tests.example_part.part import PART as EXAMPLE


def rpc_methods(service_cls: type) -> dict[str, tuple[str, ...]]:
    """The service class's @rpc methods, each with its parameters after self (as
    nameko checks a call's arguments against them)."""
    found = {}
    for name, member in inspect.getmembers(service_cls):
        extensions = getattr(member, ENTRYPOINT_EXTENSIONS_ATTR, ())
        if any(isinstance(extension, Rpc) for extension in extensions):
            found[name] = tuple(inspect.signature(member).parameters)[1:]
    return found


def differences(service_cls: type, contract: Contract) -> list[str]:
    served = rpc_methods(service_cls)
    declared = {method.name: tuple(method.params) for method in contract.methods}
    problems = [
        f"{name}: in the service, not in its contract" for name in served.keys() - declared.keys()
    ]
    problems += [
        f"{name}: in the contract, not in its service" for name in declared.keys() - served.keys()
    ]
    problems += [
        f"{name}: the service takes {served[name]}, the contract says {declared[name]}"
        for name in served.keys() & declared.keys()
        if served[name] != declared[name]
    ]
    return sorted(problems)


@pytest.mark.parametrize("part", [p for p in (*PARTS, EXAMPLE) if p.contract], ids=lambda p: p.name)
def test_a_part_serves_exactly_its_contract(part):
    contract = part.contract_module().CONTRACT
    assert contract.service == part.name
    assert differences(part.service_class(), contract) == []


class Notes(ServiceBase):
    name = "notes"

    @read
    def get_note(self, session, note_id: int) -> dict:
        return {}

    @write
    def add_note(self, session, payload: dict) -> dict:
        return {}

    @rpc
    def count(self, branch, year) -> int:
        return 0


# ServiceBase brings `health` to every service: a contract declares it too.
NOTES = (
    Method("get_note", ("note_id",)),
    Method("add_note", ("payload",), writes=True),
    Method("health"),
)


def test_the_check_names_a_method_on_one_side_only():
    both = Contract("notes", methods=(*NOTES, Method("count", ("branch", "year"))))
    assert differences(Notes, both) == []
    assert differences(Notes, Contract("notes", methods=NOTES)) == [
        "count: in the service, not in its contract"
    ]
    more = Contract("notes", methods=(*NOTES, Method("count", ("branch", "year")), Method("drop")))
    assert differences(Notes, more) == ["drop: in the contract, not in its service"]


def test_the_check_names_parameters_that_differ_or_come_in_another_order():
    swapped = Contract("notes", methods=(*NOTES, Method("count", ("year", "branch"))))
    assert differences(Notes, swapped) == [
        "count: the service takes ('branch', 'year'), the contract says ('year', 'branch')"
    ]
    fewer = Contract("notes", methods=(*NOTES, Method("count", ("branch",))))
    assert differences(Notes, fewer) == [
        "count: the service takes ('branch', 'year'), the contract says ('branch',)"
    ]
