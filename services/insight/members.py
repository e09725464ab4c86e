"""Members per branch at the end of each month, as headquarters counts them: one at a
time, or a CSV of many, all or nothing (as the people part's competency import: one
bad row refuses the file, and the refusal names every bad row, field and reason)."""

from __future__ import annotations

import csv
import io
import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.bulk import insert_missing, update_rows
from chassis.context import Caller
from chassis.errors import ValidationFailed, field_error
from chassis.schemas import load, unstorable

from .contract import MAX_CSV_ROWS, MembersImport, MembersInput, MembersQuery
from .models import Branch, MemberCount, branches
from .versions import wrote
from .visits import readers

members_input, members_import, members_query = MembersInput(), MembersImport(), MembersQuery()
COLUMNS = ("branch", "month", "members", "new_members")


def dump(count: MemberCount) -> dict:
    return {
        "branch": count.branch,
        "month": count.month,
        "members": count.members,
        "new_members": count.new_members,
    }


def put_members(session: Session, payload: dict, caller: Caller) -> dict:
    caller.require_role()  # headquarters only
    row = load(members_input, payload)
    branches.require(session, row["branch"])
    _store(session, [row])
    return dump(session.get(MemberCount, (row["branch"], row["month"])))


def _store(session: Session, rows: list[dict]) -> None:
    now = time.time()
    values = [
        {
            "branch": r["branch"],
            "month": r["month"],
            "members": r["members"],
            "new_members": r.get("new_members"),
            "updated_at": now,
        }
        for r in rows
    ]
    wrote(session)
    added = insert_missing(session, MemberCount.__table__, values)
    update_rows(
        session,
        MemberCount.__table__,
        [v for v in values if (v["branch"], v["month"]) not in added],
    )
    session.expire_all()


def import_members(session: Session, payload: dict, caller: Caller) -> dict:
    caller.require_role()
    text = load(members_import, payload)["csv"]
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"branch", "month", "members"} <= set(reader.fieldnames):
        raise field_error("csv", "Expected a header line: branch,month,members[,new_members].")
    raw_rows = [
        {k: v for k, v in r.items() if k in COLUMNS and v not in ("", None)} for r in reader
    ]
    if len(raw_rows) > MAX_CSV_ROWS:
        raise field_error("csv", f"At most {MAX_CSV_ROWS} rows in one file.")
    if not raw_rows:
        raise field_error("csv", "No rows after the header line.")
    known = set(session.scalars(select(Branch.code)))
    loaded, problems, seen = [], [], {}
    for number, raw in enumerate(raw_rows, start=1):
        bad = _problems(raw, known, seen, number)
        if bad:
            problems += [{"row": number, "field": f, "reason": r} for f, r in bad]
        else:
            loaded.append(_row(raw))
            seen[(raw["branch"], raw["month"])] = number
    if problems:
        bad_rows = len({p["row"] for p in problems})
        raise ValidationFailed(
            f"{bad_rows} of {len(raw_rows)} rows are bad; nothing was imported.",
            {"rows": problems},
        )
    _store(session, loaded)
    return {"rows": len(loaded)}


def _row(raw: dict) -> dict:
    return members_input.load(raw)


def _problems(raw: dict, known: set, seen: dict, number: int) -> list[tuple[str, str]]:
    bad = [("/".join(map(str, p)), m) for p, m in unstorable(raw)]
    if bad:
        return bad
    # A CSV cell is text: numbers are parsed here, and named if they are not numbers.
    typed = dict(raw)
    for name in ("members", "new_members"):
        if name in typed:
            if not typed[name].strip().isdigit():
                bad.append((name, f"Not a whole number: {typed[name]!r}."))
            else:
                typed[name] = int(typed[name])
    errors = members_input.validate(typed)
    bad += [(f, "; ".join(map(str, m))) for f, m in errors.items() if f not in dict(bad)]
    if bad:
        return bad
    if raw["branch"] not in known:
        return [("branch", f"No branch {raw['branch']!r}.")]
    if (raw["branch"], raw["month"]) in seen:
        return [("month", f"Also in row {seen[(raw['branch'], raw['month'])]}.")]
    raw.update(typed)
    return []


def members(session: Session, params: dict, caller: Caller) -> dict:
    readers(caller)
    query = load(members_query, params)
    branch = query.get("branch")
    if caller.role == "branch":
        caller.require_branch(branch or caller.branch)
        branch = caller.branch
    year = str(query["year"])
    stmt = select(MemberCount).where(MemberCount.month.like(f"{year}-%"))
    if branch:
        stmt = stmt.where(MemberCount.branch == branch)
    rows = session.scalars(stmt.order_by(MemberCount.month, MemberCount.branch))
    return {"items": [dump(r) for r in rows]}
