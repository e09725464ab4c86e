"""Community programmes' routes, over the events service's client (made from its
contract), and the public pages people meet on a phone: the calendar, a programme's
page with its registration form, and the check-in page at the door.

Headquarters keeps the partners; a branch key plans its own branch's programmes and
runs its door (the service checks each record against the caller, so another
branch's record by id is a 403); a partner key registers its own people in its kept
seats and sees them; the calendar, the feeds, programme pages and registration need
no key. A participant's contact is answered to the programme's branch and
headquarters only."""

from __future__ import annotations

from services.events.contract import (
    CONTRACT,
)

from ..edge.calls import ServiceClient
from ..edge.http import PUBLIC, form_body, route
from ..pages import programmes as pages
from ..pages.render import PageQuery

BRANCH_KEYS = ("admin", "branch")
PARTNER_KEYS = ("admin", "branch", "partner")  # a partner: its own institution, its people


class EventsRoutes:
    events = ServiceClient(CONTRACT)

    # -- public pages ------------------------------------------------------------------------
    @route(
        "GET",
        "/acara",
        roles=PUBLIC,
        summary="The programme calendar for people, as an HTML page (?branch=, ?audience=, "
        "?programme_type=, ?lang=en).",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("calendar"),),
    )
    def calendar_page(self, request):
        return pages.calendar_page(request, self.events.calendar)

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
        calls=(CONTRACT.method("register"),),
    )
    def register_page(self, request, occurrence_id):
        return pages.registered_page(
            request, occurrence_id, lambda: form_body(request), self.events.register
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
        calls=(CONTRACT.method("lookup_code"),),
    )
    def door_page(self, request):
        return pages.door_page(request, self.events.lookup_code)

    @route(
        "POST",
        "/pintu",
        roles=BRANCH_KEYS,
        summary="The check-in page's answer: the participant let in, or where they stand.",
        query=PageQuery,
        tag="events",
        page=True,
        calls=(CONTRACT.method("check_in"),),
    )
    def door_check_in(self, request):
        return pages.checked_in_page(request, lambda: form_body(request), self.events.check_in)
