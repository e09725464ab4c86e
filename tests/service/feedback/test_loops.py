"""Feedback over real RPC and events, with the catalogue and people running beside
it on one broker: the whole loops of the platform.

- A suggestion approved → the catalogue orders it → the title catalogued with that
  acquisition → the suggestion fulfilled (suggestion_fulfilled).
- A programme completed in people → its evaluation opened here and each completer
  invited → responses → closed → evaluation_summarized recorded by people.
- The events service's events (not on this branch: published here as it would),
  applied once however often they arrive: event_completed opens one post-event
  survey; programme_published fulfils the programme idea it names.
"""

import datetime as dt

import pytest

from chassis.context import Caller
from chassis.errors import Conflict, Forbidden, ValidationFailed
from pustaka import platform
from services.catalog.service import CatalogService
from services.feedback.service import FeedbackService
from services.people.service import PeopleService
from tests.support import publish_event, rpc_as, wait_for

ADMIN = Caller("k-hq", "admin")
KMN = Caller("k-kmn", "branch", branch="KMN")
SPN = Caller("k-spn", "branch", branch="SPN")
PARTS = ("catalog", "people", "feedback")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def loop(request, config, tmp_path, container_factory):
    """The three services on one broker, each on a database of its own (SQLite files,
    then PostgreSQL databases)."""
    config = {**config}
    for name in PARTS:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / name}.db"
        else:
            url = request.getfixturevalue("make_postgres_db")()
        config[name] = {**config[name], "DATABASE_URL": url}
    list(platform.migrate(config, list(PARTS)))
    for service in (CatalogService, PeopleService, FeedbackService):
        container_factory(service, config).start()
    with rpc_as(config, ADMIN) as rpc:
        for code, name in (("KMN", "Cabang Kumun Debai"), ("SPN", "Pusat")):
            rpc.catalog.put_branch({"code": code, "name": name, "locations": []})
    return config


def _until(config, caller, call, check, timeout=15):
    def probe():
        with rpc_as(config, caller) as rpc:
            try:
                found = call(rpc)
            except (ValidationFailed, Forbidden):
                return None
            return found if check(found) else None

    found = wait_for(probe, timeout=timeout)
    assert found, "the loop did not close in time"
    return found


def test_a_suggestion_reaches_the_shelf_and_a_programme_its_evaluation(loop):
    # -- a suggestion → an order → a catalogued title → fulfilled ------------------------
    book = {
        "kind": "collection", "member": "KMN-2023-0456", "title": "Bumi Manusia",
        "authors": ["Pramoedya Ananta Toer"], "isbn": "9789799731234", "branch": "KMN",
    }  # fmt: skip
    made = _until(
        loop, ADMIN, lambda rpc: rpc.feedback.submit_suggestion(book), lambda found: found
    )
    sid = made["id"]
    with rpc_as(loop, ADMIN) as rpc:
        rpc.feedback.vote(sid, {"member": "KMN-2024-0101"})
        with pytest.raises(Conflict):
            rpc.feedback.vote(sid, {"member": "KMN-2024-0101"})
        rpc.feedback.approve_suggestion(sid)
    ordered = _until(
        loop, ADMIN, lambda rpc: rpc.feedback.get_suggestion(sid), lambda s: s["status"]
    )
    assert ordered["status"] == "approved"
    # the catalogue's acquisition, as the front desk sees it when the book arrives
    from services.catalog.models import Acquisition

    db = platform.database(loop, platform.part("catalog"))
    try:
        acq = wait_for(lambda: _acquisition(db, Acquisition, sid), timeout=15)
    finally:
        db.engine.dispose()
    assert acq is not None
    with rpc_as(loop, KMN) as rpc:
        title = rpc.catalog.create_title(
            {"title": "Bumi Manusia", "authors": ["Pramoedya Ananta Toer"],
             "isbn": "9789799731234", "acquisition_ref": acq}
        )  # fmt: skip
    done = _until(
        loop, ADMIN, lambda rpc: rpc.feedback.get_suggestion(sid),
        lambda s: s["status"] == "fulfilled",
    )  # fmt: skip
    assert (done["fulfilled_by"], done["votes"]) == (title["id"], 2)

    # -- a programme completed in people → evaluation → responses → summary in people ----
    with rpc_as(loop, ADMIN) as rpc:
        staff = [
            rpc.people.register_staff({"name": n, "branch": "KMN", "position": "terampil"})["id"]
            for n in ("Doni Kurniawan", "Meli Oktaviani")
        ]
        day = dt.date.today() - dt.timedelta(days=1)
        programme = rpc.people.create_programme(
            {
                "kind": "training", "topic": "Pelatihan SLiMS", "hours": 8,
                "trainer": {"name": "Perpustakaan Nasional RI"}, "capacity": 10,
                "sessions": [{"date": day.isoformat(), "start": "08:00", "end": "16:00",
                              "venue": {"kind": "room", "branch": "KMN", "room": "Ruang Baca"}}],
            }
        )  # fmt: skip
        pid = programme["id"]
        rpc.people.transition_programme(pid, {"to": "scheduled"})
        for s in staff:
            rpc.people.enrol(pid, {"staff_id": s})
        rpc.people.transition_programme(pid, {"to": "running"})
        marks = [{"staff_id": s, "present": True} for s in staff]
        rpc.people.record_attendance(pid, {"session": 1, "marks": marks})
        rpc.people.transition_programme(pid, {"to": "completed"})

    def evaluation(rpc):
        items = rpc.feedback.list_campaigns({"template": "evaluasi_pelatihan"})["items"]
        return next((c for c in items if c["subject_id"] == pid), None)

    campaign = _until(loop, ADMIN, evaluation, lambda c: c and c["invited"] == 2)
    with rpc_as(loop, ADMIN) as rpc:
        links = rpc.feedback.list_invitations(campaign["id"])["items"]
        answers = {"materi": 5, "narasumber": 4, "metode": 4, "waktu": 3, "manfaat": 5,
                   "keseluruhan": 8}  # fmt: skip
        for link in links:
            token = link["link"].removeprefix("/s/")
            rpc.feedback.submit_response(token, {"answers": answers})
        closed = rpc.feedback.close_campaign(campaign["id"])
    assert closed["responses"] == 2
    recorded = _until(
        loop, ADMIN, lambda rpc: rpc.people.get_programme(pid), lambda p: p["evaluation"]
    )
    assert recorded["evaluation"]["responses"] == 2
    assert recorded["evaluation"]["average"] == 4.2  # (5+4+4+3+5) / 5

    # -- the events service's events, each applied once ------------------------------------
    completed = {
        "occurrence_id": "OCC000001", "programme_id": "EVT000001", "title": "Bedah buku",
        "programme_type": "book_discussion", "audience": "adults", "branch": "KMN",
        "starts_at": "2026-11-14T09:00:00+00:00", "ends_at": "2026-11-14T11:00:00+00:00",
        "partners": ["UNJA"], "registered": 3, "attended": 2, "walk_ins": 0, "no_shows": 1,
        "attendees": ["REG000001", "REG000002"],
    }  # fmt: skip
    publish_event(loop, "events", "event_completed", "OCC000001", completed, times=3)

    def post_event(rpc):
        return rpc.feedback.list_campaigns({"template": "pasca_kegiatan"})["items"]

    opened = _until(loop, KMN, post_event, lambda items: items)
    assert [(c["subject_id"], c["invited"]) for c in opened] == [("OCC000001", 2)]
    with rpc_as(loop, SPN) as rpc, pytest.raises(Forbidden):
        rpc.feedback.results(opened[0]["id"])
    idea = {
        "kind": "programme", "member": "SPN-2022-0042", "programme_type": "storytime",
        "topic": "Dongeng Kerinci", "audience": "children", "branch": "SPN",
    }  # fmt: skip
    with rpc_as(loop, ADMIN) as rpc:
        iid = rpc.feedback.submit_suggestion(idea)["id"]
        rpc.feedback.approve_suggestion(iid)
    published = {
        "programme_id": "EVT000002", "title": "Dongeng Kerinci", "programme_type": "storytime",
        "audience": "children", "branch": "SPN", "starts_at": None, "suggestion_id": iid,
    }  # fmt: skip
    publish_event(loop, "events", "programme_published", "EVT000002", published, times=2)
    fulfilled = _until(
        loop, ADMIN, lambda rpc: rpc.feedback.get_suggestion(iid),
        lambda s: s["status"] == "fulfilled",
    )  # fmt: skip
    assert fulfilled["fulfilled_by"] == "EVT000002"


def _acquisition(db, model, suggestion_id):
    from sqlalchemy import select

    with db.reading() as session:
        found = session.scalar(select(model).where(model.suggestion_id == suggestion_id))
        return found.id if found is not None else None
