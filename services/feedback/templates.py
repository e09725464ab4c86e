"""Survey templates: versions that never change once written (editing makes the
next version), and the check of a response against its template's questions."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chassis.context import Caller
from chassis.errors import NotFound, ValidationFailed, field_error
from chassis.schemas import load

from .contract import LIBQUAL_PARTS, SCALES, TemplateInput
from .models import Template

template_input = TemplateInput()
MAX_TEXT = 2000


def dump_template(t: Template) -> dict:
    return {
        "code": t.code,
        "version": t.version,
        "name_id": t.name_id,
        "name_en": t.name_en,
        "questions": t.questions,
        "built_in": t.built_in,
    }


def find_template(session: Session, code: str, version: int | None = None) -> Template:
    stmt = select(Template).where(Template.code == code)
    if version is not None:
        stmt = stmt.where(Template.version == version)
    found = session.scalar(stmt.order_by(Template.version.desc()).limit(1))
    if found is None:
        named = code if version is None else f"{code} v{version}"
        raise NotFound(f"No template {named!r}.", {"template": code, "version": version})
    return found


_QUESTIONS: dict[tuple, list[dict]] = {}


def questions_of(session: Session, code: str, version: int) -> list[dict]:
    """A template version's questions, kept once read (per database): a version
    never changes."""
    key = (str(session.get_bind().url), code, version)
    found = _QUESTIONS.get(key)
    if found is None:
        found = _QUESTIONS[key] = find_template(session, code, version).questions
    return found


def get_template(session: Session, code: str, version: int | None = None) -> dict:
    return dump_template(find_template(session, code, version))


def list_templates(session: Session) -> dict:
    latest = (
        select(Template.code, func.max(Template.version).label("version"))
        .group_by(Template.code)
        .subquery()
    )
    rows = session.scalars(
        select(Template)
        .join(latest, (Template.code == latest.c.code) & (Template.version == latest.c.version))
        .order_by(Template.code)
    )
    return {"items": [dump_template(t) for t in rows]}


def put_template(session: Session, payload: dict, caller: Caller) -> dict:
    """A new template, or the next version of one: what was published stays."""
    caller.require_role()
    data = load(template_input, payload)
    _check_questions(data["questions"])
    current = session.scalar(
        select(func.max(Template.version)).where(Template.code == data["code"])
    )
    made = Template(
        code=data["code"],
        version=(current or 0) + 1,
        name_id=data["name_id"],
        name_en=data["name_en"],
        questions=[_plain(q) for q in data["questions"]],
        built_in=False,
    )
    session.add(made)
    session.flush()
    return dump_template(made)


def add_built_in(session: Session, code: str, name_id: str, name_en: str, questions) -> None:
    if session.get(Template, (code, 1)) is None:
        session.add(
            Template(
                code=code,
                version=1,
                name_id=name_id,
                name_en=name_en,
                questions=questions,
                built_in=True,
            )  # fmt: skip
        )


def _plain(question: dict) -> dict:
    return {
        "id": question["id"],
        "type": question["type"],
        "required": question.get("required", True),
        "text_id": question["text_id"],
        "text_en": question["text_en"],
        "dimension": question.get("dimension"),
        "options": question.get("options") or [],
    }


def _check_questions(questions: list[dict]) -> None:
    problems: dict = {}
    seen = set()
    for i, q in enumerate(questions):
        if q["id"] in seen:
            problems[i] = {"id": [f"{q['id']!r} is used twice."]}
        seen.add(q["id"])
        if q["type"] in ("single", "multiple") and len(q.get("options") or []) < 2:
            problems[i] = {"options": ["A choice needs two options or more."]}
    if problems:
        raise ValidationFailed(
            "The template has invalid questions.", {"fields": {"questions": problems}}
        )


# -- checking answers -------------------------------------------------------------------
def check_answers(questions: list[dict], answers) -> dict:
    """The answers as they will be stored (numbers as int, blanks left out), or
    ValidationFailed with the reason per question id: a required one unanswered, a
    value out of its scale or of the wrong type, a question the template has not."""
    if not isinstance(answers, dict):
        raise field_error("answers", "Give the answers as an object by question id.")
    by_id = {q["id"]: q for q in questions}
    problems: dict[str, list[str]] = {}
    clean: dict = {}
    for qid in answers:
        if qid not in by_id:
            problems[str(qid)] = ["No such question in this survey."]
    for qid, q in by_id.items():
        value = answers.get(qid)
        if _blank(value):
            if q.get("required", True):
                problems[qid] = ["An answer is required."]
            continue
        try:
            clean[qid] = _checked(q, value)
        except ValueError as exc:
            problems[qid] = [str(exc)]
    if problems:
        raise ValidationFailed(
            "Some answers do not fit the survey; nothing was stored.", {"fields": problems}
        )
    return clean


def _blank(value) -> bool:
    if value is None or value == "" or value == []:
        return True
    return isinstance(value, dict) and all(_blank(v) for v in value.values())


def _number(value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"Give a whole number from {low} to {high}.")
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise ValueError(f"Give a whole number from {low} to {high}.")
    number = int(text)
    if not low <= number <= high:
        raise ValueError(f"Must be from {low} to {high}.")
    return number


def _checked(q: dict, value):
    kind = q["type"]
    if kind in ("likert", "rating", "nps", "skm"):
        return _number(value, *SCALES[kind])
    if kind == "libqual":
        if not isinstance(value, dict):
            raise ValueError("Give minimum, desired and perceived.")
        low, high = SCALES["libqual"]
        unknown = set(value) - set(LIBQUAL_PARTS)
        if unknown:
            raise ValueError(f"Unknown parts: {', '.join(sorted(map(str, unknown)))}.")
        missing = [p for p in LIBQUAL_PARTS if _blank(value.get(p))]
        if missing:
            raise ValueError(f"Give {', '.join(missing)} too.")
        return {p: _number(value[p], low, high) for p in LIBQUAL_PARTS}
    options = {o["value"] for o in q.get("options") or []}
    if kind == "single":
        if value not in options:
            raise ValueError("Choose one of the options.")
        return value
    if kind == "multiple":
        chosen = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and v in options for v in chosen):
            raise ValueError("Choose among the options only.")
        return sorted(set(chosen))
    if not isinstance(value, str):
        raise ValueError("Give a text.")
    if len(value) > MAX_TEXT:
        raise ValueError(f"At most {MAX_TEXT} characters.")
    return value.strip()
