"""The branches events knows, as the pages list them: its read model of the
catalogue's branches (kept from branch_updated), by code with their names, renamed
when the catalogue renames one. Over RPC: tests/service/events/test_branches.py."""

import pytest

from services.events import readmodels
from services.events.models import branches
from tests.domain.events.helpers import read, run

pytestmark = pytest.mark.parametrize("database_kind", ["sqlite"])


def test_the_branches_by_code_with_their_names(events_db):
    found = read(events_db, readmodels.list_branches)["items"]
    assert found == [
        {"code": "KMN", "name": "Cabang KMN"},
        {"code": "PDT", "name": "Cabang PDT"},
        {"code": "SPN", "name": "Cabang SPN"},
    ]
    run(events_db, branches.seen, {"code": "KMN", "name": "Perpustakaan Cabang Kumun Debai"})
    run(events_db, branches.seen, {"code": "HRW", "name": "Perpustakaan Cabang Hamparan Rawang"})
    found = read(events_db, readmodels.list_branches)["items"]
    assert [b["code"] for b in found] == ["HRW", "KMN", "PDT", "SPN"]
    assert found[1]["name"] == "Perpustakaan Cabang Kumun Debai"
