"""The events slice's page routes: the calendar, a programme's page and its
registration form, a registration's ticket, and the door (a branch key's)."""

from __future__ import annotations

from marshmallow import fields

from chassis.api import BRANCH_KEYS
from gateway.edge.calls import ServiceClient
from gateway.edge.http import PUBLIC, form_body
from gateway.web.shell.render import PageQuery, pages_over
from services.events.contract import CONTRACT

from . import pages

page_route = pages_over(CONTRACT)


class ProgrammePageQuery(PageQuery):
    sesi = fields.String(metadata={"description": "the occurrence whose form is shown"})


class EventsPages:
    events = ServiceClient(CONTRACT)

    @page_route(
        "GET",
        "/acara",
        PUBLIC,
        calls=("calendar", "list_branches"),
        summary="The programme calendar for people, as an HTML page (?branch=, ?audience=, "
        "?programme_type=, ?lang=en).",
    )
    def calendar_page(self, request):
        return pages.calendar_page(request, self.events.calendar, self.events.list_branches)

    @page_route(
        "GET",
        "/acara/<event_id>",
        PUBLIC,
        calls=("public_programme", "list_branches"),
        query=ProgrammePageQuery,
        summary="A programme's page: its sessions, and the registration form of the one "
        "chosen (?sesi=, or the only one open) (no script).",
    )
    def programme_page(self, request, event_id):
        return pages.programme_page(
            request, event_id, self.events.public_programme, self.events.list_branches
        )

    @page_route(
        "POST",
        "/acara/daftar/<occurrence_id>",
        PUBLIC,
        calls=("register", "public_programme", "list_branches"),
        summary="The registration form's answer: the participant's check-in code and its QR.",
    )
    def register_page(self, request, occurrence_id):
        return pages.registered_page(
            request,
            occurrence_id,
            lambda: form_body(request),
            self.events.register,
            self.events.public_programme,
            self.events.list_branches,
        )

    @page_route(
        "GET",
        "/acara/tiket/<code>",
        PUBLIC,
        calls=("public_registration", "list_branches"),
        summary="A participant's registration by its check-in code, to open again: its "
        "state, place in the waitlist and QR code (no name or contact).",
    )
    def ticket_page(self, request, code):
        return pages.ticket_page(
            request, code, self.events.public_registration, self.events.list_branches
        )

    @page_route(
        "GET",
        "/pintu",
        BRANCH_KEYS,
        calls=("lookup_code", "list_branches"),
        summary="The check-in page at the door (a branch key): enter or scan a code, see at "
        "once who it is and whether they are registered, already in or waiting.",
    )
    def door_page(self, request):
        return pages.door_page(request, self.events.lookup_code, self.events.list_branches)

    @page_route(
        "POST",
        "/pintu",
        BRANCH_KEYS,
        calls=("check_in", "list_branches"),
        summary="The check-in page's answer: the participant let in, or where they stand.",
    )
    def door_check_in(self, request):
        return pages.checked_in_page(
            request, lambda: form_body(request), self.events.check_in, self.events.list_branches
        )
