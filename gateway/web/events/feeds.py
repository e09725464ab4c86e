"""Community programmes in other shapes: the calendar as iCalendar feeds to
subscribe to (RFC 5545), and a month's figures as CSV."""

from __future__ import annotations

from werkzeug.wrappers import Response

from chassis.api import BRANCH_KEYS
from services.events.contract import CONTRACT

from ...edge.calls import ServiceClient
from ...edge.errors import csv_response
from ...edge.http import PUBLIC, routes_over

route = routes_over(CONTRACT)

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


class EventFeeds:
    events = ServiceClient(CONTRACT)

    @route("GET", "/v1/events/calendar.ics", PUBLIC, calls="calendar_feed", response=None,
           summary="Every branch's programmes as an iCalendar feed to subscribe to "
                   "(RFC 5545).")  # fmt: skip
    def calendar_feed(self, request):
        return calendar_response(self.events.calendar_feed(None), "pustaka-agenda.ics")

    @route("GET", "/v1/events/branches/<code>/calendar.ics", PUBLIC, calls="calendar_feed",
           response=None, summary="One branch's programmes as an iCalendar feed.")  # fmt: skip
    def branch_calendar_feed(self, request, code):
        return calendar_response(self.events.calendar_feed(code), f"pustaka-agenda-{code}.ics")

    @route("GET", "/v1/events/figures.csv", BRANCH_KEYS, calls="figures",
           response=None, summary="The month's figures as CSV, a row per branch.")  # fmt: skip
    def figures_csv(self, request):
        found = self.events.figures(request.args.to_dict())
        rows = [FIGURE_COLUMNS, *map(_figure_row, found["items"])]
        return csv_response(rows, f"kegiatan-{found['month']}.csv")
