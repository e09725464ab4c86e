"""The community programmes service: thin nameko entrypoints over the domain
modules. A `@write` gets a transaction answered once per request, a `@read` a
read-only one; its worker sends reminders and releases partners' seats in time."""

from __future__ import annotations

from chassis.nameko.background import Background
from chassis.nameko.database import Database
from chassis.nameko.grouped import GroupedApply
from chassis.nameko.handlers import event_handler
from chassis.nameko.service import ServiceBase, read, read_one, write

from . import calendar, checkin, cohosting, figures, partners, programmes, readmodels, registrations
from .contract import CONTRACT
from .models import Base, branches
from .reminders import Reminders


def reminder_worker(config: dict, database) -> Reminders:
    section = config.get("events", {})
    return Reminders(
        database,
        float(section.get("REMINDER_HOURS", 24)),
        float(section.get("REMINDER_POLL_SECONDS", 30)),
    )


class DueWork(Background):
    identifier = "events-due-work"
    # A registration's commit may make work due now (a reminder due at once, someone
    # waiting where kept seats are released); no other commit does.
    wakes_on = frozenset({"registrations"})


class EventsService(ServiceBase):
    name = "events"

    db = Database(Base)
    # Staff events, which a newly registered team brings in bursts, in shared transactions.
    staff_told = GroupedApply(lambda config: readmodels.staff_told)
    due = DueWork(reminder_worker)

    @property
    def reminder_hours(self) -> float:
        return float(self.config.get("events", {}).get("REMINDER_HOURS", 24))

    # -- partners --------------------------------------------------------------------
    @write
    def create_partner(self, session, payload: dict) -> dict:
        return partners.create_partner(session, payload, self.caller)

    @write
    def change_partner(self, session, partner_id: str, payload: dict) -> dict:
        return partners.change_partner(session, partner_id, payload, self.caller)

    @read
    def get_partner(self, session, partner_id: str) -> dict:
        return partners.get_partner(session, partner_id, self.caller)

    @read
    def list_partners(self, session) -> dict:
        return partners.list_partners(session, self.caller)

    # -- programmes and their occurrences ------------------------------------------------
    @write
    def create_programme(self, session, payload: dict) -> dict:
        return programmes.create_programme(session, payload, self.caller)

    @write
    def replace_programme(self, session, programme_id: str, payload: dict) -> dict:
        return programmes.replace_programme(session, programme_id, payload, self.caller)

    @write
    def transition_programme(self, session, programme_id: str, payload: dict) -> dict:
        return programmes.transition(session, programme_id, payload, self.caller)

    @write
    def cohost_programme(self, session, programme_id: str, payload: dict) -> dict:
        return cohosting.cohost_programme(session, programme_id, payload, self.caller)

    @write
    def stop_cohosting(self, session, programme_id: str, partner_id: str) -> dict:
        return cohosting.stop_cohosting(
            session, programme_id, partner_id, self.caller, self.reminder_hours
        )

    @read
    def get_programme(self, session, programme_id: str) -> dict:
        return programmes.get_programme(session, programme_id, self.caller)

    @read
    def public_programme(self, session, programme_id: str) -> dict:
        return programmes.public_programme(session, programme_id)

    @read
    def list_programmes(self, session, params: dict) -> dict:
        return programmes.list_programmes(session, params, self.caller)

    @write
    def change_occurrence(self, session, occurrence_id: str, payload: dict) -> dict:
        return programmes.change_occurrence(session, occurrence_id, payload, self.caller)

    @read
    def calendar(self, session, params: dict) -> dict:
        return calendar.calendar(session, params)

    @read
    def calendar_feed(self, session, branch: str | None) -> dict:
        return calendar.calendar_feed(session, branch, self.config["PUBLIC_BASE_URL"])

    @read
    def list_branches(self, session) -> dict:
        return readmodels.list_branches(session)

    # -- registrations and the door ----------------------------------------------------
    @write
    def register(self, session, occurrence_id: str, payload: dict) -> dict:
        return registrations.register(
            session, occurrence_id, payload, self.caller, self.reminder_hours
        )

    @write
    def cancel_registration(self, session, registration_id: str) -> dict:
        return registrations.cancel_registration(
            session, registration_id, self.caller, self.reminder_hours
        )

    @read
    def get_registration(self, session, registration_id: str) -> dict:
        return registrations.get_registration(session, registration_id, self.caller)

    @read
    def list_registrations(self, session, occurrence_id: str) -> dict:
        return registrations.list_registrations(session, occurrence_id, self.caller)

    @read
    def public_registration(self, session, code: str) -> dict:
        return registrations.public_registration(session, code)

    @read_one
    def lookup_code(self, reader, code: str) -> dict:
        return checkin.lookup_code(reader, code, self.caller)

    @write
    def check_in(self, session, code: str) -> dict:
        return checkin.check_in(session, code, self.caller)

    @write
    def walk_in(self, session, occurrence_id: str, payload: dict) -> dict:
        return checkin.walk_in(session, occurrence_id, payload, self.caller)

    @write
    def complete_occurrence(self, session, occurrence_id: str) -> dict:
        return checkin.complete_occurrence(session, occurrence_id, self.caller)

    @read
    def figures(self, session, params: dict) -> dict:
        return figures.figures(session, params, self.caller)

    # -- what other services tell us ------------------------------------------------------
    @event_handler(CONTRACT.consumed("catalog", "branch_updated"))
    def on_branch_updated(self, event: dict) -> None:
        self.db.apply_once(event, branches.seen, event["data"])

    @event_handler(CONTRACT.consumed("people", "staff_registered"), into="staff_told")
    def on_staff_registered(self, event: dict) -> None:
        """Applied by staff_told, to which the entrypoint hands each event."""

    @event_handler(CONTRACT.consumed("people", "staff_changed"), into="staff_told")
    def on_staff_changed(self, event: dict) -> None:
        """Applied by staff_told, to which the entrypoint hands each event."""

    @event_handler(CONTRACT.consumed("feedback", "suggestion_approved"))
    def on_suggestion_approved(self, event: dict) -> None:
        self.db.apply_once(event, programmes.suggestion_approved, event["data"])
