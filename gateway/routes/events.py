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

from werkzeug.wrappers import Response

from services.events.contract import (
    CONTRACT,
    OCCURRENCE_ID,
    PARTNER_ID,
    PROGRAMME_ID,
    REGISTRATION_ID,
    CalendarPage,
    CalendarQuery,
    CheckInResult,
    CoHosting,
    CommunityProgramme,
    CommunityProgrammeInput,
    CommunityProgrammePage,
    CommunityProgrammeQuery,
    Completion,
    Figures,
    FiguresQuery,
    OccurrenceChange,
    OccurrenceOutput,
    PartnerInput,
    PartnerList,
    PartnerOutput,
    ProgrammeTransition,
    RegistrationInput,
    RegistrationList,
    RegistrationOutput,
    RegistrationResult,
    WalkIn,
)

from ..edge.calls import ServiceClient
from ..edge.errors import csv_response, json_response
from ..edge.http import PUBLIC, form_body, json_body, path_id, route
from ..pages import programmes as pages
from ..pages.render import PageQuery

ADMIN = ("admin",)
BRANCH_KEYS = ("admin", "branch")
PARTNER_KEYS = ("admin", "branch", "partner")  # a partner: its own institution, its people
ANY_KEY = ()

path_id("event", PROGRAMME_ID, "programme")
path_id("occurrence", OCCURRENCE_ID)
path_id("partner", PARTNER_ID)
path_id("registration", REGISTRATION_ID)

FIGURE_COLUMNS = [
    "branch", "month", "programmes_held", "occurrences_held", "registrations", "attendance",
    "walk_ins", "no_shows", "no_show_rate", "waitlisted", "by_audience", "by_partner",
]  # fmt: skip


def _figure_row(figures: dict) -> list:
    """A branch's month as one row: the breakdowns as "key:count; ..."."""
    row = [figures[c] for c in FIGURE_COLUMNS[:-2]]
    row[8] = "" if row[8] is None else row[8]
    for breakdown in ("by_audience", "by_partner"):
        row.append("; ".join(f"{k}:{v}" for k, v in sorted(figures[breakdown].items())))
    return row


def calendar_response(feed: dict, filename: str) -> Response:
    return Response(
        feed["ical"],
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "public, max-age=300",
        },
    )


class EventsRoutes:
    events = ServiceClient(CONTRACT)

    # -- partners ---------------------------------------------------------------------
    @route(
        "POST",
        "/v1/events/partners",
        roles=ADMIN,
        summary="Add a partner institution with its agreement (MoU) period.",
        body=PartnerInput,
        response=PartnerOutput,
        status=201,
        tag="events",
        link=("partner_id", "id"),
        calls=(CONTRACT.method("create_partner"),),
    )
    def create_partner(self, request):
        made = self.events.create_partner(json_body(request))
        return json_response(made, 201, {"Location": f"/v1/events/partners/{made['id']}"})

    @route(
        "GET",
        "/v1/events/partners",
        roles=PARTNER_KEYS,
        summary="Partner institutions (a partner key: its own).",
        response=PartnerList,
        tag="events",
        calls=(CONTRACT.method("list_partners"),),
    )
    def list_partners(self, request):
        return json_response(self.events.list_partners())

    @route(
        "GET",
        "/v1/events/partners/<partner:partner_id>",
        roles=PARTNER_KEYS,
        summary="One partner institution (a partner key: its own only).",
        response=PartnerOutput,
        tag="events",
        calls=(CONTRACT.method("get_partner"),),
    )
    def get_partner(self, request, partner_id):
        return json_response(self.events.get_partner(partner_id))

    @route(
        "PUT",
        "/v1/events/partners/<partner:partner_id>",
        roles=ADMIN,
        summary="Change a partner whole (its agreement, its status). An agreement out of "
        "force stops new co-hosting.",
        body=PartnerInput,
        response=PartnerOutput,
        tag="events",
        calls=(CONTRACT.method("change_partner"),),
    )
    def change_partner(self, request, partner_id):
        return json_response(self.events.change_partner(partner_id, json_body(request)))

    # -- programmes ---------------------------------------------------------------------
    @route(
        "POST",
        "/v1/events/programmes",
        roles=BRANCH_KEYS,
        summary="Plan a programme as a draft (a branch key: at its own branch), with its "
        "co-hosts' seats and its schedule: one sitting, or a series by RRULE.",
        body=CommunityProgrammeInput,
        response=CommunityProgramme,
        status=201,
        tag="events",
        link=("event_id", "id"),
        calls=(CONTRACT.method("create_programme"),),
    )
    def create_community_programme(self, request):
        made = self.events.create_programme(json_body(request))
        return json_response(made, 201, {"Location": f"/v1/events/programmes/{made['id']}"})

    @route(
        "GET",
        "/v1/events/programmes",
        roles=ANY_KEY,
        summary="Programmes, newest first (drafts: their branch's and headquarters').",
        query=CommunityProgrammeQuery,
        response=CommunityProgrammePage,
        tag="events",
        calls=(CONTRACT.method("list_programmes"),),
    )
    def list_community_programmes(self, request):
        return json_response(self.events.list_programmes(request.args.to_dict()))

    @route(
        "GET",
        "/v1/events/programmes/<event:event_id>",
        roles=ANY_KEY,
        summary="One programme with its occurrences and their seats.",
        response=CommunityProgramme,
        tag="events",
        calls=(CONTRACT.method("get_programme"),),
    )
    def get_community_programme(self, request, event_id):
        return json_response(self.events.get_programme(event_id))

    @route(
        "PUT",
        "/v1/events/programmes/<event:event_id>",
        roles=BRANCH_KEYS,
        summary="Replace a draft whole (once published: 409; change occurrences alone).",
        body=CommunityProgrammeInput,
        response=CommunityProgramme,
        tag="events",
        calls=(CONTRACT.method("replace_programme"),),
    )
    def replace_community_programme(self, request, event_id):
        return json_response(self.events.replace_programme(event_id, json_body(request)))

    @route(
        "POST",
        "/v1/events/programmes/<event:event_id>/partners",
        roles=PARTNER_KEYS,
        summary="Co-host a programme, keeping seats for one's people out of the general "
        "pool (a partner key: itself; a branch key: any partner, at its own branch).",
        body=CoHosting,
        response=CommunityProgramme,
        tag="events",
        calls=(CONTRACT.method("cohost_programme"),),
    )
    def cohost_programme(self, request, event_id):
        return json_response(self.events.cohost_programme(event_id, json_body(request)))

    @route(
        "DELETE",
        "/v1/events/programmes/<event:event_id>/partners/<partner:partner_id>",
        roles=PARTNER_KEYS,
        summary="Stop co-hosting: the partner's people keep their seats, its empty kept "
        "seats go to those waiting.",
        response=CommunityProgramme,
        tag="events",
        calls=(CONTRACT.method("stop_cohosting"),),
    )
    def stop_cohosting(self, request, event_id, partner_id):
        return json_response(self.events.stop_cohosting(event_id, partner_id))

    @route(
        "POST",
        "/v1/events/programmes/<event:event_id>/transitions",
        roles=BRANCH_KEYS,
        summary="draft -> published -> completed, or cancelled (each registrant told). "
        "Any other move is a 409.",
        body=ProgrammeTransition,
        response=CommunityProgramme,
        tag="events",
        calls=(CONTRACT.method("transition_programme"),),
    )
    def transition_community_programme(self, request, event_id):
        return json_response(self.events.transition_programme(event_id, json_body(request)))

    @route(
        "PATCH",
        "/v1/events/occurrences/<occurrence:occurrence_id>",
        roles=BRANCH_KEYS,
        summary="Move one occurrence (start, length, room) or cancel it alone.",
        body=OccurrenceChange,
        response=OccurrenceOutput,
        tag="events",
        calls=(CONTRACT.method("change_occurrence"),),
    )
    def change_occurrence(self, request, occurrence_id):
        return json_response(self.events.change_occurrence(occurrence_id, json_body(request)))

    # -- the calendar -----------------------------------------------------------------------
    @route(
        "GET",
        "/v1/events",
        roles=PUBLIC,
        summary="What is on, soonest first: by date range, branch, audience and type. No key "
        "needed.",
        query=CalendarQuery,
        response=CalendarPage,
        tag="events",
        calls=(CONTRACT.method("calendar"),),
    )
    def calendar(self, request):
        return json_response(self.events.calendar(request.args.to_dict()))

    @route(
        "GET",
        "/v1/events/calendar.ics",
        roles=PUBLIC,
        summary="Every branch's programmes as an iCalendar feed to subscribe to (RFC 5545).",
        tag="events",
        calls=(CONTRACT.method("calendar_feed"),),
    )
    def calendar_feed(self, request):
        return calendar_response(self.events.calendar_feed(None), "pustaka-agenda.ics")

    @route(
        "GET",
        "/v1/events/branches/<code>/calendar.ics",
        roles=PUBLIC,
        summary="One branch's programmes as an iCalendar feed.",
        tag="events",
        calls=(CONTRACT.method("calendar_feed"),),
    )
    def branch_calendar_feed(self, request, code):
        return calendar_response(self.events.calendar_feed(code), f"pustaka-agenda-{code}.ics")

    # -- registrations ------------------------------------------------------------------------
    @route(
        "POST",
        "/v1/events/occurrences/<occurrence:occurrence_id>/registrations",
        roles=PUBLIC,
        summary="Register (no key needed): confirmed, or waitlisted past the capacity; the "
        "same person twice is a 409. Each registration has a check-in code.",
        body=RegistrationInput,
        response=RegistrationResult,
        status=201,
        tag="events",
        calls=(CONTRACT.method("register"),),
    )
    def register(self, request, occurrence_id):
        return json_response(self.events.register(occurrence_id, json_body(request)), 201)

    @route(
        "POST",
        "/v1/events/occurrences/<occurrence:occurrence_id>/partner-registrations",
        roles=("partner",),
        summary="A partner registers one of its people, in the seats kept for it first.",
        body=RegistrationInput,
        response=RegistrationResult,
        status=201,
        tag="events",
        calls=(CONTRACT.method("register"),),
    )
    def partner_register(self, request, occurrence_id):
        return json_response(self.events.register(occurrence_id, json_body(request)), 201)

    @route(
        "GET",
        "/v1/events/occurrences/<occurrence:occurrence_id>/registrations",
        roles=PARTNER_KEYS,
        summary="Who registered, in order (the branch: everyone, with contacts; a partner: "
        "its own people).",
        response=RegistrationList,
        tag="events",
        calls=(CONTRACT.method("list_registrations"),),
    )
    def list_registrations(self, request, occurrence_id):
        return json_response(self.events.list_registrations(occurrence_id))

    @route(
        "GET",
        "/v1/events/registrations/<registration:registration_id>",
        roles=PARTNER_KEYS,
        summary="One registration (the programme's branch, or the partner of the person).",
        response=RegistrationOutput,
        tag="events",
        calls=(CONTRACT.method("get_registration"),),
    )
    def get_registration(self, request, registration_id):
        return json_response(self.events.get_registration(registration_id))

    @route(
        "POST",
        "/v1/events/registrations/<registration:registration_id>/cancel",
        roles=PARTNER_KEYS,
        summary="Cancel a registration; its seat goes to the first waiting who may take it.",
        response=RegistrationOutput,
        tag="events",
        calls=(CONTRACT.method("cancel_registration"),),
    )
    def cancel_registration(self, request, registration_id):
        return json_response(self.events.cancel_registration(registration_id))

    # -- the door --------------------------------------------------------------------------
    @route(
        "GET",
        "/v1/events/check-ins/<code>",
        roles=BRANCH_KEYS,
        summary="Who holds a check-in code, and where they stand (the programme's branch).",
        response=RegistrationOutput,
        tag="events",
        calls=(CONTRACT.method("lookup_code"),),
    )
    def lookup_code(self, request, code):
        return json_response(self.events.lookup_code(code))

    @route(
        "POST",
        "/v1/events/check-ins/<code>",
        roles=BRANCH_KEYS,
        summary="Let a confirmed participant in (once); the outcome says where anyone else stands.",
        response=CheckInResult,
        tag="events",
        calls=(CONTRACT.method("check_in"),),
    )
    def check_in(self, request, code):
        return json_response(self.events.check_in(code))

    @route(
        "POST",
        "/v1/events/occurrences/<occurrence:occurrence_id>/walk-ins",
        roles=BRANCH_KEYS,
        summary="Record someone who came without registering.",
        body=WalkIn,
        response=CheckInResult,
        status=201,
        tag="events",
        calls=(CONTRACT.method("walk_in"),),
    )
    def walk_in(self, request, occurrence_id):
        payload = json_body(request, optional=True)
        return json_response(self.events.walk_in(occurrence_id, payload), 201)

    @route(
        "POST",
        "/v1/events/occurrences/<occurrence:occurrence_id>/complete",
        roles=BRANCH_KEYS,
        summary="Close an occurrence's attendance: event_completed carries its counts.",
        response=Completion,
        tag="events",
        calls=(CONTRACT.method("complete_occurrence"),),
    )
    def complete_occurrence(self, request, occurrence_id):
        return json_response(self.events.complete_occurrence(occurrence_id))

    # -- figures ----------------------------------------------------------------------------
    @route(
        "GET",
        "/v1/events/figures",
        roles=BRANCH_KEYS,
        summary="A month's figures per branch (a branch key: its own): programmes held, "
        "registrations, attendance by audience and partner, no-shows, waitlist demand.",
        query=FiguresQuery,
        response=Figures,
        tag="events",
        calls=(CONTRACT.method("figures"),),
    )
    def figures(self, request):
        return json_response(self.events.figures(request.args.to_dict()))

    @route(
        "GET",
        "/v1/events/figures.csv",
        roles=BRANCH_KEYS,
        summary="The month's figures as CSV, a row per branch.",
        query=FiguresQuery,
        tag="events",
        calls=(CONTRACT.method("figures"),),
    )
    def figures_csv(self, request):
        found = self.events.figures(request.args.to_dict())
        rows = [FIGURE_COLUMNS, *map(_figure_row, found["items"])]
        return csv_response(rows, f"kegiatan-{found['month']}.csv")

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
