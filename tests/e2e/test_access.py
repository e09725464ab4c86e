"""Every route of the OpenAPI document, called with every role, answers as the
table in tests/e2e/access.py says: 401 without a key where one is needed, 403 for a
role the route is not for, and for a branch key naming another branch's record; any
other answer where the role may call it."""

import re

import pytest

from tests.e2e.access import (
    ACCESS,
    OBJECT_LEVEL,
    PATH_VALUES,
    call,
    operations,
    role_keys,
    walk,
)
from tests.platform import on_the_shared_platform

platform = on_the_shared_platform()


@pytest.fixture(scope="module")
def keys(platform) -> dict[str, str]:
    return role_keys(platform)


def resolved(platform, path: str) -> str:
    """`path` with "{SPN staff}" and "{KMN staff}" made a demo staff member's id there."""
    for branch in re.findall(r"{(\w+) staff}", path):
        staff = platform.get("/v1/people/staff", params={"branch": branch}).json()["items"]
        path = path.replace(f"{{{branch} staff}}", staff[0]["id"])
    return path


def test_every_route_has_a_row_and_every_row_a_route(platform):
    documented = operations(platform)
    assert documented - set(ACCESS) == set(), "routes the access table does not cover"
    assert set(ACCESS) - documented == set(), "rows for routes that no longer exist"


def test_every_route_answers_every_role_as_the_table_says(platform, keys):
    title = platform.post("/v1/catalog/titles", json={"title": "Judul untuk uji akses"}).json()
    registered = platform.post(
        f"/v1/events/occurrences/{PATH_VALUES['occurrence_id']}/partner-registrations",
        key=keys["partner"],
        json={"name": "Murid Uji Akses", "contact": "0812-0000-0001", "age_group": "child"},
    ).json()["items"][0]
    values = {**PATH_VALUES, "title_id": title["id"], "registration_id": registered["id"]}
    wrong = walk(platform, ACCESS, keys, values, lambda path: resolved(platform, path))
    assert wrong == []


@pytest.mark.parametrize(
    "method, path, body, expected", OBJECT_LEVEL, ids=[f"{m} {p}" for m, p, *_ in OBJECT_LEVEL]
)
def test_a_branch_key_acts_on_its_own_branchs_records_only(
    platform, keys, method, path, body, expected
):
    answer = call(platform, method, resolved(platform, path), keys["branch"], body)
    assert answer.status_code == expected, answer.text
