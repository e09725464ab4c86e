"""Community programmes' HTTP face. Headquarters keeps the partners; a branch key plans
its own branch's programmes and runs its door (the service checks each record against
the caller, so another branch's record by id is a 403); a partner key registers its
own people in its kept seats and sees them; the calendar and registration need no
key. A participant's contact is answered to the programme's branch and headquarters
only. The feeds and pages are the events slice of the web app (gateway/web/events)."""

from chassis.api import (
    BRANCH_KEYS,
    HEADQUARTERS,
    PARTNER_KEYS,
    PUBLIC,
    Api,
    delete,
    get,
    patch,
    post,
    put,
)

from .contract import CONTRACT, OCCURRENCE_ID, PARTNER_ID, PROGRAMME_ID, REGISTRATION_ID

OCCURRENCE = "/v1/events/occurrences/<occurrence:occurrence_id>"
PROGRAMME = "/v1/events/programmes/<event:event_id>"
REGISTRATION = "/v1/events/registrations/<registration:registration_id>"

# fmt: off
ROUTES = (
    post("/v1/events/partners", "create_partner", HEADQUARTERS, created=("partner_id", "id"),
         summary="Add a partner institution with its agreement (MoU) period."),
    get("/v1/events/partners", "list_partners", PARTNER_KEYS,
        summary="Partner institutions (a partner key: its own)."),
    get("/v1/events/partners/<partner:partner_id>", "get_partner", PARTNER_KEYS,
        summary="One partner institution (a partner key: its own only)."),
    put("/v1/events/partners/<partner:partner_id>", "change_partner", HEADQUARTERS,
        summary="Change a partner whole (its agreement, its status). An agreement out of force "
                "stops new co-hosting."),
    post("/v1/events/programmes", "create_programme", BRANCH_KEYS,
         created=("event_id", "id"), name="create_community_programme", summary="Plan a programme"
                                                                                " as a draft (a "
                                                                                "branch key: at "
                                                                                "its own branch),"
                                                                                " with its co-"
                                                                                "hosts' seats and"
                                                                                " its schedule: "
                                                                                "one sitting, or "
                                                                                "a series by "
                                                                                "RRULE."),
    get("/v1/events/programmes", "list_programmes", name="list_community_programmes",
        summary="Programmes, newest first (drafts: their branch's and headquarters')."),
    get(PROGRAMME, "get_programme", name="get_community_programme",
        summary="One programme with its occurrences and their seats."),
    put(PROGRAMME, "replace_programme", BRANCH_KEYS, name="replace_community_programme",
        summary="Replace a draft whole (once published: 409; change occurrences alone)."),
    post(f"{PROGRAMME}/partners", "cohost_programme", PARTNER_KEYS,
         summary="Co-host a programme, keeping seats for one's people out of the general pool (a "
                 "partner key: itself; a branch key: any partner, at its own branch)."),
    delete(f"{PROGRAMME}/partners/<partner:partner_id>", "stop_cohosting", PARTNER_KEYS,
           summary="Stop co-hosting: the partner's people keep their seats, its empty kept seats "
                   "go to those waiting."),
    post(f"{PROGRAMME}/transitions", "transition_programme", BRANCH_KEYS,
         name="transition_community_programme", summary="draft -> published -> completed, or "
                                                        "cancelled (each registrant told). Any "
                                                        "other move is a 409."),
    patch(OCCURRENCE, "change_occurrence", BRANCH_KEYS,
          summary="Move one occurrence (start, length, room) or cancel it alone."),
    get("/v1/events", "calendar", PUBLIC,
        summary="What is on, soonest first: by date range, branch, audience and type. No key "
                "needed."),
    post(f"{OCCURRENCE}/registrations", "register", PUBLIC, status=201,
         summary="Register (no key needed): confirmed, or waitlisted past the capacity; the same "
                 "person twice is a 409. Each registration has a check-in code."),
    post(f"{OCCURRENCE}/partner-registrations", "register", ("partner",),
         status=201, name="partner_register", summary="A partner registers one of its people, in "
                                                      "the seats kept for it first."),
    get(f"{OCCURRENCE}/registrations", "list_registrations", PARTNER_KEYS,
        summary="Who registered, in order (the branch: everyone, with contacts; a partner: its "
                "own people)."),
    get(REGISTRATION, "get_registration", PARTNER_KEYS,
        summary="One registration (the programme's branch, or the partner of the person)."),
    post(f"{REGISTRATION}/cancel", "cancel_registration", PARTNER_KEYS,
         summary="Cancel a registration; its seat goes to the first waiting who may take it."),
    get("/v1/events/check-ins/<code>", "lookup_code", BRANCH_KEYS,
        summary="Who holds a check-in code, and where they stand (the programme's branch)."),
    post("/v1/events/check-ins/<code>", "check_in", BRANCH_KEYS,
         summary="Let a confirmed participant in (once); the outcome says where anyone else "
                 "stands."),
    post(f"{OCCURRENCE}/walk-ins", "walk_in", BRANCH_KEYS, status=201, optional_body=True,
         summary="Record someone who came without registering."),
    post(f"{OCCURRENCE}/complete", "complete_occurrence", BRANCH_KEYS,
         summary="Close an occurrence's attendance: event_completed carries its counts."),
    get("/v1/events/figures", "figures", BRANCH_KEYS,
        summary="A month's figures per branch (a branch key: its own): programmes held, "
                "registrations, attendance by audience and partner, no-shows, waitlist demand."),
)
# fmt: on

API = Api(
    CONTRACT,
    ROUTES,
    ids={
        "event": (PROGRAMME_ID, "programme"),
        "occurrence": OCCURRENCE_ID,
        "partner": PARTNER_ID,
        "registration": REGISTRATION_ID,
    },
)
