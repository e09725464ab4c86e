"""The staff development service: thin nameko entrypoints over the domain modules. A
`@write` gets a transaction answered once per request, a `@read` a read-only one."""

from __future__ import annotations

from chassis.nameko.database import Database
from chassis.nameko.handlers import event_handler
from chassis.nameko.service import ServiceBase, read, write

from . import (
    attendance,
    certificates,
    competencies,
    enrolments,
    evaluations,
    gaps,
    lifecycle,
    programmes,
    records,
    staff,
)
from .contract import CONTRACT
from .models import Base, branches


class PeopleService(ServiceBase):
    name = "people"

    db = Database(Base)

    # -- staff ------------------------------------------------------------------------
    @write
    def register_staff(self, session, payload: dict) -> dict:
        return staff.register_staff(session, payload, self.caller)

    @write
    def change_staff(self, session, staff_id: str, payload: dict) -> dict:
        return staff.change_staff(session, staff_id, payload, self.caller)

    @read
    def get_staff(self, session, staff_id: str) -> dict:
        return staff.get_staff(session, staff_id, self.caller)

    @read
    def list_staff(self, session, params: dict) -> dict:
        return staff.list_staff(session, params, self.caller)

    # -- competency framework ---------------------------------------------------------
    @read
    def get_framework(self, session) -> dict:
        return competencies.get_framework(session)

    @write
    def import_competencies(self, session, text: str, format: str) -> dict:
        return competencies.import_competencies(session, text, format, self.caller)

    @read
    def get_requirements(self, session, position: str) -> dict:
        return competencies.get_requirements(session, position)

    @write
    def put_requirement(self, session, position: str, payload: dict) -> dict:
        return competencies.put_requirement(session, position, payload, self.caller)

    @read
    def list_requirements(self, session, params: dict) -> dict:
        return competencies.list_requirements(session, params)

    # -- programmes -------------------------------------------------------------------
    @write
    def create_programme(self, session, payload: dict) -> dict:
        return programmes.create_programme(session, payload, self.caller)

    @write
    def replace_programme(self, session, programme_id: str, payload: dict) -> dict:
        return programmes.replace_programme(session, programme_id, payload, self.caller)

    @write
    def transition_programme(self, session, programme_id: str, payload: dict) -> dict:
        return lifecycle.transition(session, programme_id, payload, self.caller)

    @read
    def get_programme(self, session, programme_id: str) -> dict:
        return programmes.get_programme(session, programme_id)

    @read
    def list_programmes(self, session, params: dict) -> dict:
        return programmes.list_programmes(session, params)

    @write
    def enrol(self, session, programme_id: str, payload: dict) -> dict:
        return enrolments.enrol(session, programme_id, payload, self.caller)

    @write
    def withdraw(self, session, programme_id: str, staff_id: str) -> dict:
        return enrolments.withdraw(session, programme_id, staff_id, self.caller)

    @read
    def list_enrolments(self, session, programme_id: str) -> dict:
        return enrolments.list_enrolments(session, programme_id, self.caller)

    @write
    def record_attendance(self, session, programme_id: str, payload: dict) -> dict:
        return attendance.record_attendance(session, programme_id, payload, self.caller)

    # -- certificates -------------------------------------------------------------------
    @read
    def get_certificate(self, session, code: str) -> dict:
        return certificates.get_certificate(session, code, self.caller)

    @read
    def certificate_pdf(self, session, code: str) -> dict:
        base_url = self.config["PUBLIC_BASE_URL"]
        return certificates.certificate_pdf(session, code, self.caller, base_url)

    @write
    def revoke_certificate(self, session, code: str, payload: dict) -> dict:
        return certificates.revoke_certificate(session, code, payload, self.caller)

    @read
    def verify_certificate(self, session, code: str) -> dict:
        return certificates.verify_certificate(session, code)

    # -- development records and gaps -------------------------------------------------------
    @write
    def rate_staff(self, session, staff_id: str, year: int, payload: dict) -> dict:
        return records.rate_staff(session, staff_id, year, payload, self.caller)

    @read
    def development_record(self, session, staff_id: str, year: int) -> dict:
        return records.development_record(session, staff_id, year, self.caller)

    @read
    def development_records(self, session, params: dict) -> dict:
        return records.development_records(session, params, self.caller)

    @read
    def staff_gaps(self, session, staff_id: str) -> dict:
        return gaps.staff_gaps(session, staff_id, self.caller)

    @read
    def branch_gaps(self, session, branch: str) -> dict:
        return gaps.branch_gaps(session, branch, self.caller)

    # -- what other services tell us ------------------------------------------------------
    @event_handler(CONTRACT.consumed("catalog", "branch_updated"))
    def on_branch_updated(self, event: dict) -> None:
        self.db.apply_once(event, branches.seen, event["data"])

    @event_handler(CONTRACT.consumed("feedback", "evaluation_summarized"))
    def on_evaluation_summarized(self, event: dict) -> None:
        self.db.apply_once(event, evaluations.evaluation_summarized, event["data"])
