"""The competency framework: areas, their competencies each with a proficiency
scale, and the level each position requires. Four areas come with the service (its
migrations hold them); more come in from CSV or JSON, such as the SKKNI units for
librarians with their codes."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import NotFound, ValidationFailed, field_error
from chassis.pagination import Bounds, Key, Keyset
from chassis.schemas import load, unstorable

from .contract import POSITIONS, CompetencyRow, RequirementInput, RequirementQuery
from .models import Area, Competency, Requirement, outbox

competency_row, requirement_input = CompetencyRow(), RequirementInput()
requirement_query = RequirementQuery()
# By position, then competency: a cursor holds the last pair served (strings the
# columns can be compared with; the query binds them as values).
_WORD = Bounds(str, "", "~" * 41)
BY_POSITION = Keyset(
    Key(Requirement.position, _WORD), Key(Requirement.competency_code, _WORD, "competency")
)
MAX_ROWS = 5000


def dump_competency(c: Competency) -> dict:
    return {
        "code": c.code,
        "area": c.area_code,
        "name_id": c.name_id,
        "name_en": c.name_en,
        "levels": c.levels,
        "proficient": c.proficient,
    }


def get_framework(session: Session) -> dict:
    competencies = list(session.scalars(select(Competency).order_by(Competency.code)))
    return {
        "areas": [
            {
                "code": area.code,
                "name_id": area.name_id,
                "name_en": area.name_en,
                "competencies": [
                    dump_competency(c) for c in competencies if c.area_code == area.code
                ],
            }
            for area in session.scalars(select(Area).order_by(Area.code))
        ]
    }


def competency(session: Session, code, field: str = "competency") -> Competency:
    found = session.get(Competency, code) if isinstance(code, str) else None
    if found is None:
        raise field_error(field, f"No competency {code!r} in the framework.")
    return found


# -- import -----------------------------------------------------------------------------
def _rows(text: str, format: str) -> list[dict]:
    """The rows of a CSV (with a header line) or a JSON array of objects."""
    if format == "json":
        try:
            rows = json.loads(text)
        except ValueError as exc:
            raise field_error("file", f"Not JSON: {exc}.") from exc
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise field_error("file", "Expected a JSON array of objects.")
        return rows
    if format == "csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "code" not in reader.fieldnames:
            raise field_error("file", "Expected a CSV header line naming code, area, ...")
        # Empty cells are absent values (a default applies), not empty strings.
        return [{k: v for k, v in row.items() if k and v not in ("", None)} for row in reader]
    raise field_error("format", "Use csv or json.")


def _check_rows(session: Session, rows: list) -> tuple[list[dict], list[dict]]:
    """(the rows as loaded, a problem per bad field: {row, field, reason}); rows
    are numbered from 1, the first after a CSV's header line."""
    loaded, problems, seen = [], [], {}
    known_areas = set(session.scalars(select(Area.code)))
    for number, raw in enumerate(rows, start=1):
        bad = [("/".join(map(str, p)), m) for p, m in unstorable(raw)]
        if not bad:
            errors = competency_row.validate(raw)
            bad = [(f, "; ".join(_flat(m))) for f, m in errors.items()]
        if not bad:
            row = competency_row.load(raw)
            if row["code"] in seen:
                bad = [("code", f"Also in row {seen[row['code']]}.")]
            elif row["area"] not in known_areas and not (
                row.get("area_name_id") and row.get("area_name_en")
            ):
                bad = [("area_name_id", f"Area {row['area']} is new: name it (id and en).")]
            else:
                seen[row["code"]] = number
                known_areas.add(row["area"])
                loaded.append(row)
        problems += [{"row": number, "field": f, "reason": r} for f, r in bad]
    return loaded, problems


def _flat(messages) -> list[str]:
    if isinstance(messages, dict):
        return [m for v in messages.values() for m in _flat(v)]
    return [str(m) for m in messages] if isinstance(messages, list) else [str(messages)]


def import_competencies(session: Session, text: str, format: str, caller: Caller) -> dict:
    """All or nothing: every row is checked first, and one bad row refuses the file,
    listing every bad row (its number, field and reason). A code already in the
    framework is updated, an area named anew is added."""
    caller.require_role()
    if not isinstance(text, str):
        raise field_error("file", "Expected text.")
    rows = _rows(text, format)
    if len(rows) > MAX_ROWS:
        raise field_error("file", f"At most {MAX_ROWS} rows in one file.")
    loaded, problems = _check_rows(session, rows)
    if problems:
        bad = len({p["row"] for p in problems})
        raise ValidationFailed(
            f"{bad} of {len(rows)} rows are bad; nothing was imported.",
            {"rows": problems},
        )
    report = {"areas_added": 0, "added": 0, "updated": 0}
    for row in loaded:
        if session.get(Area, row["area"]) is None:
            session.add(
                Area(code=row["area"], name_id=row["area_name_id"], name_en=row["area_name_en"])
            )
            session.flush()
            report["areas_added"] += 1
        existing = session.get(Competency, row["code"])
        report["updated" if existing else "added"] += 1
        target = existing or Competency(code=row["code"])
        target.area_code, target.name_id, target.name_en = (
            row["area"],
            row["name_id"],
            row["name_en"],
        )
        target.levels, target.proficient = row["levels"], row["proficient"]
        session.add(target)
    session.flush()
    return report


# -- what positions require ----------------------------------------------------------------
def _position(position) -> str:
    if position not in POSITIONS:
        raise NotFound(f"No position {position!r}.", {"position": position})
    return position


def get_requirements(session: Session, position: str) -> dict:
    rows = session.scalars(
        select(Requirement)
        .where(Requirement.position == _position(position))
        .order_by(Requirement.competency_code)
    )
    return {
        "position": position,
        "requirements": [{"competency": r.competency_code, "level": r.level} for r in rows],
    }


def required_levels(session: Session, position: str) -> dict[str, int]:
    rows = session.scalars(select(Requirement).where(Requirement.position == position))
    return {r.competency_code: r.level for r in rows}


def put_requirement(session: Session, position: str, payload: dict, caller: Caller) -> dict:
    """Set (level 0: remove) the level a position requires of a competency."""
    caller.require_role()
    _position(position)
    data = load(requirement_input, payload)
    found = competency(session, data["competency"])
    if data["level"] > found.levels:
        raise field_error("level", f"{found.code}'s scale goes to {found.levels}.")
    row = session.get(Requirement, (position, found.code))
    if (row.level if row is not None else 0) == data["level"]:
        return get_requirements(session, position)  # as it was: nothing to tell
    if data["level"] == 0:
        session.delete(row)
    else:
        row = row or Requirement(position=position, competency_code=found.code)
        row.level = data["level"]
        session.add(row)
    session.flush()
    changed = {"position": position, "competency": found.code, "level": data["level"]}
    outbox.emit(session, "requirement_changed", f"{position}/{found.code}", changed)
    return get_requirements(session, position)


def list_requirements(session: Session, params: dict) -> dict:
    """Every position's required levels, a page at a time: what insight's rebuild
    reads (the built-in ones were set by a migration, which told no event)."""
    query = load(requirement_query, params)
    rows, cursor = BY_POSITION.fetch(
        session, select(Requirement), query["limit"], query.get("cursor")
    )
    return {
        "items": [
            {"position": r.position, "competency": r.competency_code, "level": r.level}
            for r in rows
        ],
        "next_cursor": cursor,
    }
