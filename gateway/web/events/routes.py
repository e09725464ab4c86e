"""The events slice's page routes: the calendar, a programme's page and its
registration form, a registration's ticket, and the door (a branch key's)."""

from __future__ import annotations

from gateway.edge.calls import ServiceClient
from gateway.edge.http import PUBLIC, form_body, route
from gateway.web.shell.render import PageQuery
from services.events.contract import CONTRACT

from . import pages

BRANCH_KEYS = ("admin", "branch")


class EventsPages:
    events = ServiceClient(CONTRACT)

    @route(
        "GET",
        "/acara",
        roles=PUBLIC,
        summary="The programme calendar for people, as an HTML page (?branch=, ?audience=, "
        "?programme_type=, ?lang=en).",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("calendar"), CONTRACT.method("list_branches")),
    )
    def calendar_page(self, request):
        return pages.calendar_page(request, self.events.calendar, self.events.list_branches)

    @route(
        "GET",
        "/acara/<event_id>",
        roles=PUBLIC,
        summary="A programme's page, with a registration form per occurrence (no script).",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("public_programme"),),
    )
    def programme_page(self, request, event_id):
        return pages.programme_page(request, event_id, self.events.public_programme)

    @route(
        "POST",
        "/acara/daftar/<occurrence_id>",
        roles=PUBLIC,
        summary="The registration form's answer: the participant's check-in code and its QR.",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("register"), CONTRACT.method("public_programme")),
    )
    def register_page(self, request, occurrence_id):
        return pages.registered_page(
            request,
            occurrence_id,
            lambda: form_body(request),
            self.events.register,
            self.events.public_programme,
        )

    @route(
        "GET",
        "/acara/tiket/<code>",
        roles=PUBLIC,
        summary="A participant's registration by its check-in code, to open again: its "
        "state, place in the waitlist and QR code (no name or contact).",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("public_registration"),),
    )
    def ticket_page(self, request, code):
        return pages.ticket_page(request, code, self.events.public_registration)

    @route(
        "GET",
        "/pintu",
        roles=BRANCH_KEYS,
        summary="The check-in page at the door (a branch key): enter or scan a code, see at "
        "once who it is and whether they are registered, already in or waiting.",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("lookup_code"), CONTRACT.method("list_branches")),
    )
    def door_page(self, request):
        return pages.door_page(request, self.events.lookup_code, self.events.list_branches)

    @route(
        "POST",
        "/pintu",
        roles=BRANCH_KEYS,
        summary="The check-in page's answer: the participant let in, or where they stand.",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("check_in"), CONTRACT.method("list_branches")),
    )
    def door_check_in(self, request):
        return pages.checked_in_page(
            request, lambda: form_body(request), self.events.check_in, self.events.list_branches
        )
