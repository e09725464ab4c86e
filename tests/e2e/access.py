"""Who may call what: the table the access test walks (tests/e2e/test_access.py).
Written from the platform's policy, not read from the code, so that a route whose
roles change, or a new route without a row here, fails the test until this table
says what was meant.

Roles: admin (headquarters), branch (one branch: KMN here), partner (one
institution), integrator, and public (no key). A role not listed for a route gets
403 (public: 401); a listed one gets anything but 401 and 403.
"""

import re

ROLES = ("admin", "branch", "partner", "integrator", "public")
ANY_KEY = ("admin", "branch", "partner", "integrator")
EVERYONE = (*ANY_KEY, "public")
BRANCHES = ("admin", "branch")  # headquarters, and a branch for its own records
RESULTS = ("admin", "branch", "partner")  # and a partner, of a programme it co-hosted
HEADQUARTERS = ("admin",)
INTEGRATORS = ("admin", "integrator")
FIGURES = ("admin", "branch", "integrator")  # a branch: its own
PARTNERS = ("admin", "branch", "partner")  # a partner: its own institution and people

# (method, path as the OpenAPI document writes it) -> the roles that may call it
ACCESS = {
    # the platform's own documents and probes, and OAI-PMH for harvesters
    ("GET", "/health"): EVERYONE,
    ("GET", "/ready"): EVERYONE,
    ("GET", "/v1/status"): EVERYONE,
    ("GET", "/v1/openapi.json"): EVERYONE,
    ("GET", "/v1/asyncapi.json"): EVERYONE,
    ("GET", "/docs"): EVERYONE,
    ("GET", "/docs/events"): EVERYONE,
    ("GET", "/docs/assets/{name}"): EVERYONE,
    ("GET", "/oai"): EVERYONE,
    ("POST", "/oai"): EVERYONE,
    ("GET", "/sru"): EVERYONE,
    # signing in on the pages: the form takes a key, not a header
    ("GET", "/masuk"): EVERYONE,
    ("POST", "/masuk"): EVERYONE,
    ("POST", "/keluar"): EVERYONE,
    # the catalogue: every key reads it; branches catalogue; headquarters owns branches
    ("GET", "/v1/catalog/titles"): ANY_KEY,
    ("GET", "/v1/catalog/titles/{title_id}"): ANY_KEY,
    ("GET", "/v1/catalog/titles/{title_id}/marcxml"): ANY_KEY,
    ("GET", "/v1/catalog/marcxml"): ANY_KEY,
    ("GET", "/v1/catalog/items/{barcode}"): ANY_KEY,
    ("GET", "/v1/catalog/branches"): ANY_KEY,
    ("GET", "/v1/catalog/acquisitions"): BRANCHES,
    ("POST", "/v1/catalog/titles"): BRANCHES,
    ("PUT", "/v1/catalog/titles/{title_id}"): BRANCHES,
    ("POST", "/v1/catalog/titles/{title_id}/items"): BRANCHES,
    ("PATCH", "/v1/catalog/items/{barcode}"): BRANCHES,
    ("POST", "/v1/catalog/imports"): BRANCHES,
    ("POST", "/v1/catalog/branches/{code}/locations"): BRANCHES,
    ("POST", "/v1/catalog/titles/{title_id}/withdraw"): HEADQUARTERS,
    ("POST", "/v1/catalog/branches"): HEADQUARTERS,
    # staff development: the framework and the programmes are no one's personal data;
    # a person's record is headquarters' and their own branch's, never a partner's or
    # an integrator's; a certificate is checked by anyone who holds its code
    ("GET", "/v1/people/competencies"): ANY_KEY,
    ("GET", "/v1/people/positions/{position}/requirements"): ANY_KEY,
    ("GET", "/v1/people/programmes"): ANY_KEY,
    ("GET", "/v1/people/programmes/{programme_id}"): ANY_KEY,
    ("POST", "/v1/people/competencies/imports"): HEADQUARTERS,
    ("POST", "/v1/people/positions/{position}/requirements"): HEADQUARTERS,
    ("POST", "/v1/people/programmes"): HEADQUARTERS,
    ("PUT", "/v1/people/programmes/{programme_id}"): HEADQUARTERS,
    ("POST", "/v1/people/programmes/{programme_id}/transitions"): HEADQUARTERS,
    ("POST", "/v1/people/staff/{staff_id}/ratings/{year}"): HEADQUARTERS,
    ("POST", "/v1/people/certificates/{code}/revoke"): HEADQUARTERS,
    ("GET", "/v1/people/staff"): BRANCHES,
    ("POST", "/v1/people/staff"): BRANCHES,
    ("GET", "/v1/people/staff/{staff_id}"): BRANCHES,
    ("PATCH", "/v1/people/staff/{staff_id}"): BRANCHES,
    ("GET", "/v1/people/staff/{staff_id}/gaps"): BRANCHES,
    ("GET", "/v1/people/staff/{staff_id}/records/{year}"): BRANCHES,
    ("GET", "/v1/people/records"): BRANCHES,
    ("GET", "/v1/people/records.csv"): BRANCHES,
    ("GET", "/v1/people/branches/{code}/gaps"): BRANCHES,
    ("GET", "/v1/people/programmes/{programme_id}/enrolments"): BRANCHES,
    ("POST", "/v1/people/programmes/{programme_id}/enrolments"): BRANCHES,
    ("POST", "/v1/people/programmes/{programme_id}/enrolments/{staff_id}/withdraw"): BRANCHES,
    ("POST", "/v1/people/programmes/{programme_id}/attendance"): BRANCHES,
    ("GET", "/v1/people/certificates/{code}"): BRANCHES,
    ("GET", "/v1/people/certificates/{code}/pdf"): BRANCHES,
    ("GET", "/v1/people/verifications/{code}"): EVERYONE,
    ("GET", "/verify/{code}"): EVERYONE,
    # community programmes: the calendar, its feeds, programme pages and registration
    # need no key; a branch plans and runs its own branch's programmes (object level
    # below); headquarters keeps the partners; a partner key registers and sees its
    # own people (object level: tests/e2e/test_events.py)
    ("GET", "/v1/events"): EVERYONE,
    ("GET", "/v1/events/calendar.ics"): EVERYONE,
    ("GET", "/v1/events/branches/{code}/calendar.ics"): EVERYONE,
    ("POST", "/v1/events/occurrences/{occurrence_id}/registrations"): EVERYONE,
    ("GET", "/katalog"): EVERYONE,
    ("GET", "/katalog/{title_id}"): EVERYONE,
    ("GET", "/katalog/{title_id}/{format}"): EVERYONE,
    ("GET", "/katalog/terbaru.atom"): EVERYONE,
    ("GET", "/katalog/terbaru/{code}.atom"): EVERYONE,
    ("GET", "/acara"): EVERYONE,
    ("GET", "/acara/{event_id}"): EVERYONE,
    ("POST", "/acara/daftar/{occurrence_id}"): EVERYONE,
    ("GET", "/acara/tiket/{code}"): EVERYONE,
    ("GET", "/v1/events/programmes"): ANY_KEY,
    ("GET", "/v1/events/programmes/{event_id}"): ANY_KEY,
    ("POST", "/v1/events/partners"): HEADQUARTERS,
    ("PUT", "/v1/events/partners/{partner_id}"): HEADQUARTERS,
    ("GET", "/v1/events/partners"): PARTNERS,
    ("GET", "/v1/events/partners/{partner_id}"): PARTNERS,
    ("POST", "/v1/events/programmes/{event_id}/partners"): PARTNERS,
    ("DELETE", "/v1/events/programmes/{event_id}/partners/{partner_id}"): PARTNERS,
    ("GET", "/v1/events/occurrences/{occurrence_id}/registrations"): PARTNERS,
    ("GET", "/v1/events/registrations/{registration_id}"): PARTNERS,
    ("POST", "/v1/events/registrations/{registration_id}/cancel"): PARTNERS,
    ("POST", "/v1/events/occurrences/{occurrence_id}/partner-registrations"): (
        "admin",
        "partner",
    ),
    ("POST", "/v1/events/programmes"): BRANCHES,
    ("PUT", "/v1/events/programmes/{event_id}"): BRANCHES,
    ("POST", "/v1/events/programmes/{event_id}/transitions"): BRANCHES,
    ("PATCH", "/v1/events/occurrences/{occurrence_id}"): BRANCHES,
    ("GET", "/v1/events/check-ins/{code}"): BRANCHES,
    ("POST", "/v1/events/check-ins/{code}"): BRANCHES,
    ("POST", "/v1/events/occurrences/{occurrence_id}/walk-ins"): BRANCHES,
    ("POST", "/v1/events/occurrences/{occurrence_id}/complete"): BRANCHES,
    ("GET", "/v1/events/figures"): BRANCHES,
    ("GET", "/v1/events/figures.csv"): BRANCHES,
    ("GET", "/pintu"): BRANCHES,
    ("POST", "/pintu"): BRANCHES,
    # feedback: respondents need only their link; anyone opens a ticket, suggests and
    # votes; a branch sees its own campaigns and tickets; a partner reads the results of
    # programmes it co-hosted (CMP000001, the demo's book discussion with PTN0003)
    ("GET", "/v1/feedback/templates"): ANY_KEY,
    ("GET", "/v1/feedback/templates/{template}"): ANY_KEY,
    ("POST", "/v1/feedback/templates"): HEADQUARTERS,
    ("POST", "/v1/feedback/campaigns"): BRANCHES,
    ("GET", "/v1/feedback/campaigns"): BRANCHES,
    ("GET", "/v1/feedback/campaigns/{campaign_id}"): RESULTS,
    ("POST", "/v1/feedback/campaigns/{campaign_id}/invitations"): BRANCHES,
    ("GET", "/v1/feedback/campaigns/{campaign_id}/invitations"): BRANCHES,
    ("POST", "/v1/feedback/campaigns/{campaign_id}/close"): BRANCHES,
    ("GET", "/v1/feedback/campaigns/{campaign_id}/results"): RESULTS,
    ("GET", "/v1/feedback/campaigns/{campaign_id}/results.csv"): RESULTS,
    ("GET", "/v1/feedback/campaigns/{campaign_id}/report"): RESULTS,
    ("GET", "/v1/feedback/overview"): BRANCHES,
    ("GET", "/v1/feedback/overview.csv"): BRANCHES,
    ("GET", "/v1/feedback/overview/report"): BRANCHES,
    ("GET", "/v1/feedback/surveys/{token}"): EVERYONE,
    ("POST", "/v1/feedback/surveys/{token}/responses"): EVERYONE,
    ("GET", "/s/{token}"): EVERYONE,
    ("POST", "/s/{token}"): EVERYONE,
    ("POST", "/v1/feedback/tickets"): EVERYONE,
    ("GET", "/v1/feedback/tickets"): BRANCHES,
    ("GET", "/v1/feedback/tickets/{ticket_id}"): BRANCHES,
    ("POST", "/v1/feedback/tickets/{ticket_id}/transitions"): BRANCHES,
    ("POST", "/v1/feedback/suggestions"): EVERYONE,
    ("GET", "/v1/feedback/suggestions"): EVERYONE,
    ("GET", "/v1/feedback/suggestions/{suggestion_id}"): EVERYONE,
    ("POST", "/v1/feedback/suggestions/{suggestion_id}/votes"): EVERYONE,
    ("GET", "/usulan"): EVERYONE,
    ("GET", "/usulan/baru"): EVERYONE,
    ("POST", "/usulan/baru"): EVERYONE,
    ("GET", "/usulan/{suggestion_id}"): EVERYONE,
    ("POST", "/usulan/{suggestion_id}"): EVERYONE,
    ("POST", "/v1/feedback/suggestions/{suggestion_id}/approve"): HEADQUARTERS,
    ("POST", "/v1/feedback/suggestions/{suggestion_id}/reject"): HEADQUARTERS,
    # supporters' contacts: headquarters' notifier only (SUG000001 is open: a 409)
    ("GET", "/v1/feedback/suggestions/{suggestion_id}/supporters"): HEADQUARTERS,
    # insight: a branch writes its own visitors' book and reads its own figures;
    # headquarters enters the members and reads the IPLM and KTAK; an integrator (the
    # city's dashboard) reads the figures
    ("POST", "/v1/insight/visits"): BRANCHES,
    ("POST", "/v1/insight/headcounts"): BRANCHES,
    ("GET", "/v1/insight/visits"): FIGURES,
    ("POST", "/v1/insight/members"): HEADQUARTERS,
    ("POST", "/v1/insight/members/imports"): HEADQUARTERS,
    ("GET", "/v1/insight/members"): FIGURES,
    ("GET", "/v1/insight/dashboard"): FIGURES,
    ("GET", "/v1/insight/iplm"): HEADQUARTERS,
    ("GET", "/v1/insight/ktak"): HEADQUARTERS,
    ("GET", "/v1/insight/ktak.csv"): HEADQUARTERS,
    ("GET", "/v1/insight/report.pdf"): HEADQUARTERS,
    ("POST", "/v1/insight/rebuild"): HEADQUARTERS,
    # insight's pages: the visitors' book at a branch's entrance, the dashboard
    ("GET", "/buku-tamu"): BRANCHES,
    ("POST", "/buku-tamu"): BRANCHES,
    ("GET", "/buku-tamu/hitungan"): BRANCHES,
    ("POST", "/buku-tamu/hitungan"): BRANCHES,
    ("GET", "/dasbor"): BRANCHES,
    ("GET", "/dasbor/csv/{view}"): BRANCHES,
    # webhooks: an integrator's own endpoints (object level: tests/e2e/test_webhooks.py);
    # headquarters sees every endpoint
    ("GET", "/v1/webhooks/endpoints"): INTEGRATORS,
    ("POST", "/v1/webhooks/endpoints"): INTEGRATORS,
    ("GET", "/v1/webhooks/endpoints/{endpoint_id}"): INTEGRATORS,
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/rotate-secret"): INTEGRATORS,
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/disable"): INTEGRATORS,
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/enable"): INTEGRATORS,
    ("GET", "/v1/webhooks/endpoints/{endpoint_id}/deliveries"): INTEGRATORS,
    ("GET", "/v1/webhooks/endpoints/{endpoint_id}/deliveries/{delivery_id}/attempts"): INTEGRATORS,
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/deliveries/{delivery_id}/replay"): INTEGRATORS,
    ("POST", "/v1/webhooks/endpoints/{endpoint_id}/replay"): INTEGRATORS,
}

# What the path parameters name in the walk: the branch key's own records (refusals
# of other branches' records are below); the title is one the walk makes, since
# headquarters' turn withdraws it.
PATH_VALUES = {
    "barcode": "KMN-0001-1",
    "code": "KMN",
    "format": "ris",
    "name": "swagger-ui.css",
    "staff_id": "{KMN staff}",
    "programme_id": "PRG000001",
    "position": "terampil",
    "year": "2026",
    "endpoint_id": "WH000001",
    "delivery_id": "WD00000001",
    "view": "visits",  # a table of the dashboard as CSV
    # the demo's season: EVT000002 is a KMN series co-hosted by PTN0003 (the partner
    # key's), whose occurrence OCC0000014 is weeks ahead; the registration is one the
    # walk makes with the partner key
    "event_id": "EVT000002",
    "occurrence_id": "OCC0000014",
    "partner_id": "PTN0003",
    "template": "nps",
    "campaign_id": "CMP000001",
    "ticket_id": "TKT000001",
    "suggestion_id": "SUG000001",
    "token": "tidak-ada-survei-di-sini",
}

# Object-level checks: a branch key naming another branch's record by id. Each is
# (method, path, JSON body, the status a KMN branch key gets), on the demo
# collection: T000001 is held at SPN, KMN and PDT; T000004 at SPN only, so its
# record is SPN's and headquarters' to change.
OBJECT_LEVEL = [
    ("POST", "/v1/catalog/titles/T000001/items", {"barcode": "SPN-X-1", "branch": "SPN"}, 403),
    ("PATCH", "/v1/catalog/items/SPN-0001-1", {"status": "on_loan"}, 403),
    ("POST", "/v1/catalog/branches/SPN/locations", {"code": "BARU", "name": "Baru"}, 403),
    ("PUT", "/v1/catalog/titles/T000004", {"title": "Diubah cabang lain"}, 403),
    ("PUT", "/v1/catalog/titles/T000001", {"title": "Laskar Pelangi"}, 200),
    # its own branch: allowed
    ("POST", "/v1/catalog/titles/T000001/items", {"barcode": "KMN-X-1", "branch": "KMN"}, 201),
    ("PATCH", "/v1/catalog/items/KMN-0001-1", {"status": "on_loan"}, 200),
    # staff of the demo: "{SPN staff}" is a member of staff at SPN, "{KMN staff}" at KMN
    ("GET", "/v1/people/staff/{SPN staff}", None, 403),
    ("GET", "/v1/people/staff/{SPN staff}/gaps", None, 403),
    ("GET", "/v1/people/staff/{SPN staff}/records/2026", None, 403),
    ("PATCH", "/v1/people/staff/{SPN staff}", {"name": "Diubah cabang lain"}, 403),
    ("GET", "/v1/people/branches/SPN/gaps", None, 403),
    ("GET", "/v1/people/staff/{KMN staff}", None, 200),
    ("GET", "/v1/people/branches/KMN/gaps", None, 200),
    # community programmes: EVT000001 and its first occurrence OCC0000001 are SPN's
    ("PUT", "/v1/events/programmes/EVT000001", {"title": "Diubah cabang lain"}, 403),
    ("POST", "/v1/events/programmes/EVT000001/transitions", {"to": "cancelled"}, 403),
    (
        "POST",
        "/v1/events/programmes/EVT000001/partners",
        {"partner_id": "PTN0001", "seats": 0},
        403,
    ),
    ("DELETE", "/v1/events/programmes/EVT000001/partners/PTN0001", None, 403),
    ("PATCH", "/v1/events/occurrences/OCC0000001", {"room": "Gudang"}, 403),
    ("GET", "/v1/events/occurrences/OCC0000001/registrations", None, 403),
    ("POST", "/v1/events/occurrences/OCC0000001/walk-ins", {}, 403),
    ("POST", "/v1/events/occurrences/OCC0000001/complete", {}, 403),
    ("GET", "/v1/events/figures?month=2026-01&branch=SPN", None, 403),
    ("GET", "/v1/events/occurrences/OCC0000014/registrations", None, 200),
    # feedback in the demo: CMP000002 and TKT000002 are SPN's, CMP000001 and TKT000001 KMN's
    ("GET", "/v1/feedback/campaigns/CMP000002", None, 403),
    ("GET", "/v1/feedback/campaigns/CMP000002/results", None, 403),
    ("GET", "/v1/feedback/campaigns/CMP000002/results.csv", None, 403),
    ("GET", "/v1/feedback/campaigns/CMP000002/invitations", None, 403),
    ("POST", "/v1/feedback/campaigns/CMP000002/close", {}, 403),
    ("GET", "/v1/feedback/tickets/TKT000002", None, 403),
    ("POST", "/v1/feedback/tickets/TKT000002/transitions", {"to": "in_progress"}, 403),
    ("GET", "/v1/feedback/overview?year=2026&branch=SPN", None, 403),
    (
        "POST",
        "/v1/feedback/campaigns",
        {
            "template": "nps",
            "subject_type": "branch",
            "subject_id": "SPN-X",
            "title": "X",
            "branch": "SPN",
            "closes_on": "2099-01-01",
        },
        403,
    ),
    ("GET", "/v1/feedback/campaigns/CMP000001/results", None, 200),
    ("GET", "/v1/feedback/tickets/TKT000001", None, 200),
]


def role_keys(platform) -> dict[str, str]:
    """A key of each role (public: none)."""
    return {
        "admin": platform.admin_key,
        "branch": platform.new_key("Cabang Kumun Debai", "branch", "--branch", "KMN"),
        # the demo's PTN0003 (SD Negeri 4 Sungai Penuh), a co-host at KMN
        "partner": platform.new_key("SD Negeri 4 Sungai Penuh", "partner", "--partner", "PTN0003"),
        "integrator": platform.new_key("Dasbor Kota", "integrator"),
        "public": "",
    }


def operations(platform) -> set[tuple[str, str]]:
    """(method, path) of every operation the gateway's OpenAPI document lists."""
    paths = platform.get("/v1/openapi.json", key="").json()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def call(platform, method: str, path: str, key: str, body=None):
    if method in ("GET", "DELETE"):  # no body
        return platform.request(method, path, key=key)
    return platform.request(method, path, key=key, json=body if body is not None else {})


def walk(platform, table: dict, keys: dict, values: dict, resolve=lambda path: path) -> list:
    """Every route of `table` called with every role's key: a line for each answer
    the table does not allow (a listed role: anything but 401 and 403; another:
    403, or 401 without a key)."""
    wrong = []
    for (method, template), allowed in sorted(table.items()):
        path = resolve(re.sub(r"{(\w+)}", lambda m: values[m.group(1)], template))
        for role in ROLES:
            status = call(platform, method, path, keys[role]).status_code
            if role in allowed:
                ok = status not in (401, 403)
            else:
                ok = status == (401 if role == "public" else 403)
            if not ok:
                wrong.append(f"{role:<10} {method} {path}: {status}")
    return wrong
