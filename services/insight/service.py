"""The insight service: thin nameko entrypoints over the domain modules, and a
handler per event of the others that it keeps a read model of."""

from __future__ import annotations

from chassis.nameko.background import Background
from chassis.nameko.calls import Caller as PartCaller
from chassis.nameko.calls import PartCalls
from chassis.nameko.database import Database
from chassis.nameko.grouped import READ_MODEL_GATHER_SECONDS, GroupedApply
from chassis.nameko.handlers import event_handler
from chassis.nameko.service import ServiceBase, read, rpc, write
from chassis.trust import user_of

from . import backfill, figures, iplm, members, readmodel, report, visits
from .contract import CONTRACT
from .models import Base
from .rebuilding import FirstRebuild
from .versions import KeptAnswers

REBUILD_DEADLINE = 30.0  # each call of a rebuild
KEPT = KeptAnswers()  # this process's latest dashboard answers


def first_rebuild(config: dict, database) -> FirstRebuild:
    def open_calls():
        user = user_of(config, "insight")
        return PartCaller(config["AMQP_URI"], "insight", user, REBUILD_DEADLINE)

    return FirstRebuild(database, open_calls, config["insight"])


class Rebuilding(Background):
    identifier = "insight-rebuild"


def _handler(source: str, event_type: str):
    """The entrypoint that applies one event type of `source` once (in a transaction
    shared with the events the other handlers are applying meanwhile)."""

    @event_handler(CONTRACT.consumed(source, event_type), into="read_model")
    def handle(self, event: dict) -> None:
        """Applied by read_model, to which the entrypoint hands each event."""

    handle.__name__ = f"on_{source}_{event_type}"
    return handle


class InsightService(ServiceBase):
    name = "insight"

    db = Database(Base)
    # A burst of events from every part is applied in shared transactions, each once.
    read_model = GroupedApply(
        lambda config: readmodel.apply_events,
        order=readmodel.source_of,
        gather_seconds=READ_MODEL_GATHER_SECONDS,
    )
    calls = PartCalls(REBUILD_DEADLINE)
    rebuilding = Rebuilding(first_rebuild)

    # -- the visitors' book -----------------------------------------------------------------
    @write
    def record_visit(self, session, payload: dict) -> dict:
        return visits.record_visit(session, payload, self.caller)

    @write
    def record_headcount(self, session, payload: dict) -> dict:
        return visits.record_headcount(session, payload, self.caller)

    @read
    def visits(self, session, params: dict) -> dict:
        return visits.visits(session, params, self.caller)

    # -- members ---------------------------------------------------------------------------
    @write
    def put_members(self, session, payload: dict) -> dict:
        return members.put_members(session, payload, self.caller)

    @write
    def import_members(self, session, payload: dict) -> dict:
        return members.import_members(session, payload, self.caller)

    @read
    def members(self, session, params: dict) -> dict:
        return members.members(session, params, self.caller)

    # -- figures ---------------------------------------------------------------------------
    @read
    def branches(self, session) -> dict:
        return figures.branches_read(session, self.caller)

    @read
    def dashboard(self, session, params: dict) -> dict:
        return figures.dashboard(session, params, self.caller, KEPT)

    @read
    def iplm(self, session, params: dict) -> dict:
        return iplm.iplm(session, params, self.caller, self.config["insight"]["IPLM"])

    @read
    def ktak(self, session, params: dict) -> dict:
        return iplm.ktak(session, params, self.caller)

    @read
    def year_report(self, session, params: dict) -> dict:
        return report.year_report(session, params, self.caller, self.config["insight"]["IPLM"])

    @rpc
    def rebuild(self) -> dict:
        # Not a @write: it calls other services, never inside an open transaction;
        # each page is written in a transaction of its own (backfill.py).
        self.caller.require_role()
        with self.calls() as call:
            return backfill.rebuild(self.db, call, int(self.config["insight"]["BACKFILL_PAGE"]))

    # -- what other services tell us: one handler per event type -----------------------------
    for _consumes in CONTRACT.consumes:
        locals()[f"on_{_consumes.source}_{_consumes.type}"] = _handler(
            _consumes.source, _consumes.type
        )
    del _consumes
