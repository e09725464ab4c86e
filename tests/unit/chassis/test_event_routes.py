"""The bindings a subscription's patterns make on the services' exchanges (the
webhook service's fan-in, an integrator's queue): `routes`."""

import pytest

from chassis.event_catalogue import routes

SOURCES = ["catalog", "events", "people"]


@pytest.mark.parametrize(
    "patterns,expected",
    [
        ([], []),
        (["catalog.title_created"], [("catalog", "title_created")]),
        (
            ["people.staff_registered", "catalog.title_created", "catalog.item_added"],
            [
                ("catalog", "item_added"),
                ("catalog", "title_created"),
                ("people", "staff_registered"),
            ],
        ),
        # A service taken whole takes its types: no binding twice over.
        (["catalog.title_created", "catalog.*"], [("catalog", "#")]),
        (["*", "people.staff_registered"], [("catalog", "#"), ("events", "#"), ("people", "#")]),
        (["catalog.item_added", "catalog.item_added"], [("catalog", "item_added")]),
    ],
)
def test_patterns_become_each_binding_once(patterns, expected):
    assert routes(patterns, SOURCES) == expected
