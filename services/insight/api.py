"""Insight's HTTP face. A branch key writes its own branch's visitors' book and reads
its own figures; headquarters (admin keys) enters the members and reads everything,
the IPLM and the KTAK data included; an integrator (the city's dashboard) reads the
figures. The pages (the visitors' book at the entrance, the dashboard, the year's
report) are the insight slice of the web app, to come."""

from chassis.api import BRANCH_KEYS, HEADQUARTERS, Api, get, post

from .contract import CONTRACT

READERS = BRANCH_KEYS + ("integrator",)  # a partner reads none of it

# fmt: off
ROUTES = (
    post("/v1/insight/visits", "record_visit", BRANCH_KEYS, status=201,
         summary="A visitor at a branch's entrance: purpose, age group, and a library card "
                 "number if given (never shown). A branch key: its own branch; no day to come."),
    post("/v1/insight/headcounts", "record_headcount", BRANCH_KEYS,
         summary="A day's visitors counted by hand, by purpose and age group: it replaces the "
                 "branch's earlier count of that day and stands for the day's visits."),
    get("/v1/insight/visits", "visits", READERS,
        summary="Visits per branch and day (from, to: at most a year), by purpose and age "
                "group (a branch key: its own)."),
    post("/v1/insight/members", "put_members", HEADQUARTERS,
         summary="A branch's members at the end of a month."),
    post("/v1/insight/members/imports", "import_members", HEADQUARTERS,
         summary="Members of many branches and months as CSV (branch,month,members"
                 "[,new_members]): all or nothing, a refusal names each bad row, field and "
                 "reason."),
    get("/v1/insight/members", "members", READERS,
        summary="The monthly member counts of a year (a branch key: its own)."),
    get("/v1/insight/dashboard", "dashboard", READERS,
        summary="Per branch and month (from, to; branches): collection, staff development, "
                "community programmes, service quality and visits, with how fresh each "
                "service's model is and what no event lets it count."),
    get("/v1/insight/iplm", "iplm", HEADQUARTERS,
        summary="The year's literacy development index (IPLM): each element's count, base, "
                "ratio, standard and score, the index and its category, and the method."),
    get("/v1/insight/ktak", "ktak", HEADQUARTERS,
        summary="The year's KTAK data per branch: titles and copies, staff, members, visits."),
    post("/v1/insight/rebuild", "rebuild", HEADQUARTERS, optional_body=True,
         summary="Rebuild the read models from the services' current state (a paged "
                 "backfill), then follow their events."),
)
# fmt: on

API = Api(CONTRACT, ROUTES)
