"""The demo: a year of responses to every built-in template across the branches,
tickets in every state, suggestions in every state; loaded once."""

import datetime as dt

from sqlalchemy import func, select

from chassis.context import Caller
from services.feedback import campaigns, demo, results, suggestions, tickets
from services.feedback.models import SupporterContact

ADMIN = Caller("k-hq", "admin")
TODAY = dt.date(2026, 12, 5)


def test_the_demo_spans_a_year_every_template_and_every_state(part_db):
    db = part_db("feedback")
    assert demo.load_demo(db, TODAY) > 500
    assert demo.load_demo(db, TODAY) == 0  # first run only
    with db.reading() as session:
        found = campaigns.list_campaigns(session, {"limit": 200}, ADMIN)["items"]
        first, second = found[-1], found[-2]
        assert (first["id"], first["branch"], first["partners"]) == (
            "CMP000001",
            "KMN",
            ["PTN0003"],
        )
        assert (second["id"], second["branch"], second["template"]) == ("CMP000002", "SPN", "skm")
        assert {c["template"] for c in found} == set(demo.RESPONSES) | {
            "evaluasi_pelatihan", "pasca_kegiatan",
        }  # fmt: skip
        year = results.overview(session, {"year": TODAY.year}, ADMIN)
        # by name, as the catalogue tells them: a page shows names, not codes
        assert {(b["branch"], b["name"]) for b in year["branches"]} == set(demo.BRANCHES)
        assert (
            results.results(session, "CMP000001", ADMIN)["branch_name"]
            == dict(demo.BRANCHES)["KMN"]
        )
        assert all(b["satisfaction"]["index"] for b in year["branches"])
        grades = {b["branch"]: b["satisfaction"]["grade"] for b in year["branches"]}
        assert len(set(grades.values())) > 1, grades  # branches differ
        assert len(results.overview(session, {"year": TODAY.year - 1}, ADMIN)["months"]) >= 1
        states = {t["status"] for t in tickets.list_tickets(session, {}, ADMIN)["items"]}
        assert states == {"received", "in_progress", "resolved", "rejected"}
        kinds = {s["status"] for s in suggestions.list_suggestions(session, {})["items"]}
        assert kinds == {"submitted", "approved", "rejected", "fulfilled"}
        # the fulfilled one's supporters, some of whom asked to be told; of the rejected
        # one (SUG000003), no contact is kept
        told = suggestions.suggestion_supporters(session, "SUG000004", {}, ADMIN)
        assert 0 < told["asked_to_be_told"] < told["votes"] == 13
        assert {s["channel"] for s in told["items"]} == {"phone", "email"}
        kept = select(func.count()).select_from(SupporterContact)
        assert session.scalar(kept.where(SupporterContact.suggestion_seq == 3)) == 0
        assert session.scalar(kept) > told["asked_to_be_told"]
        lq = next(c for c in found if c["template"] == "layanan_perpustakaan")
        zone = results.results(session, lq["id"], ADMIN)
        assert all(
            q["adequacy_gap"] is not None for q in zone["questions"] if q["type"] == "libqual"
        )
