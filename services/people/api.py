"""Staff development's HTTP face. Headquarters (admin keys) manages everything; a
branch key manages its own branch's staff (the service checks each record against
the caller); partner and integrator keys read the programmes and the competency
framework, nothing about a person. CSV, PDF, imports and the certificate check are
the people slice of the web app (gateway/web/people)."""

from chassis.api import BRANCH_KEYS, HEADQUARTERS, Api, get, patch, post, put

from .contract import CONTRACT, PROGRAMME_ID, STAFF_ID

STAFF_KEYS = BRANCH_KEYS  # who may see and act for a person
PROGRAMME = "/v1/people/programmes/<programme:programme_id>"
STAFF = "/v1/people/staff/<staff:staff_id>"

# fmt: off
ROUTES = (
    post("/v1/people/staff", "register_staff", STAFF_KEYS, created=("staff_id", "id"),
         summary="Register a member of staff (a branch key: at its own branch). The NIP, for "
                 "civil servants, is checked part by part."),
    get("/v1/people/staff", "list_staff", STAFF_KEYS,
        summary="Staff, a page at a time (a branch key: its own branch's)."),
    get(STAFF, "get_staff", STAFF_KEYS,
        summary="One member of staff, with the history of their positions."),
    patch(STAFF, "change_staff", STAFF_KEYS,
          summary="Change a member of staff: the fields sent; a new position joins the history."),
    post(f"{STAFF}/ratings/<int:year>", "rate_staff", HEADQUARTERS,
         summary="Record a year's performance rating (predikat kinerja), from which the year's "
                 "credit points (angka kredit) are counted."),
    get(f"{STAFF}/records/<int:year>", "development_record", STAFF_KEYS,
        summary="A member of staff's development record for a year: programmes completed, "
                "learning hours (JP), competencies with their evidence, rating and credit points."),
    get("/v1/people/records", "development_records", STAFF_KEYS,
        summary="Every member of staff's development record for a year (a branch key: its "
                "branch's); /v1/people/records.csv is the same as a table."),
    get(f"{STAFF}/gaps", "staff_gaps", STAFF_KEYS,
        summary="What a member of staff's position requires that they have not shown yet, and the"
                " scheduled programmes that would close each gap."),
    get("/v1/people/branches/<code>/gaps", "branch_gaps", STAFF_KEYS,
        summary="A branch's competency gaps: who is short of what, and what would close it."),
    get("/v1/people/competencies", "get_framework",
        summary="The competency framework: areas, competencies and their scales."),
    get("/v1/people/positions/<position>/requirements", "get_requirements",
        summary="The level a position of the jabatan fungsional requires per competency."),
    post("/v1/people/positions/<position>/requirements", "put_requirement", HEADQUARTERS,
         summary="Set the level a position requires of one competency (0: none)."),
    post("/v1/people/programmes", "create_programme", HEADQUARTERS, created=("programme_id", "id"),
         summary="Plan a programme (a draft): training, workshop or seminar, with its sessions, "
                 "learning hours (JP), capacity and the competencies it builds."),
    get("/v1/people/programmes", "list_programmes",
        summary="Programmes, newest first, a page at a time."),
    get(PROGRAMME, "get_programme",
        summary="One programme, with its sessions and the number enrolled and waiting."),
    put(PROGRAMME, "replace_programme", HEADQUARTERS,
        summary="Replace a draft programme whole (once scheduled: 409)."),
    post(f"{PROGRAMME}/transitions", "transition_programme", HEADQUARTERS,
         summary="Move a programme on: draft -> scheduled -> running -> completed, or cancelled; "
                 "any other move is a 409. Completing it settles every participant (attendance "
                 "against its completion_percent), records competencies and issues certificates."),
    post(f"{PROGRAMME}/enrolments", "enrol", STAFF_KEYS, status=201,
         summary="Enrol a member of staff (a branch key: its own staff); past the capacity they "
                 "wait, in the order they came."),
    get(f"{PROGRAMME}/enrolments", "list_enrolments", STAFF_KEYS,
        summary="Who takes part and who waits (a branch key: its own staff)."),
    post(f"{PROGRAMME}/enrolments/<staff:staff_id>/withdraw", "withdraw", STAFF_KEYS,
         summary="Withdraw a participant; the first waiting takes the freed place."),
    post(f"{PROGRAMME}/attendance", "record_attendance", STAFF_KEYS,
         summary="Record who came to one session of a running programme."),
    get("/v1/people/certificates/<code>", "get_certificate", STAFF_KEYS,
        summary="One certificate (a branch key: its own staff's)."),
)
# fmt: on

API = Api(CONTRACT, ROUTES, ids={"staff": (STAFF_ID, "member of staff"), "programme": PROGRAMME_ID})
