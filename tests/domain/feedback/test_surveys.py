"""Templates, campaigns and responses on both databases: versions that never change,
campaigns opened once per subject by the events that end a programme, one-time
tokens, answers checked per question with nothing stored on error, anonymous
responses that hold nothing to link them, and the figures and summary of a campaign."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, text

from chassis.errors import Conflict, Forbidden, Gone, NotFound, ValidationFailed
from services.feedback import campaigns, responses, results, templates
from services.feedback.models import Campaign, Invitation, Response, Tally

from .helpers import (
    ADMIN,
    KMN,
    OTHER_PARTNER,
    SPN,
    TODAY,
    UNJA,
    completed_event,
    emitted,
    read,
    run,
    sqlite_only,
)

DAY = dt.date(2026, 11, 15)


def _tokens(db, campaign_id):
    with db.reading() as session:
        seq = int(campaign_id[3:])
        return list(
            session.scalars(
                select(Invitation.token)
                .where(Invitation.campaign_seq == seq)
                .order_by(Invitation.seq)
            )
        )


def _counts(db):
    with db.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Response)),
            session.scalar(select(func.count()).select_from(Tally)),
        )


@sqlite_only
def test_a_published_version_never_changes_and_editing_makes_the_next(feedback_db):
    built_in = read(feedback_db, templates.list_templates)["items"]
    assert {t["code"] for t in built_in} >= {
        "layanan_perpustakaan", "skm", "nps", "evaluasi_pelatihan", "pasca_kegiatan",
    }  # fmt: skip
    libqual = read(feedback_db, templates.get_template, "layanan_perpustakaan")
    items = [q for q in libqual["questions"] if q["type"] == "libqual"]
    assert len(items) == 22
    assert {q["dimension"] for q in items} == {
        "affect_of_service", "information_control", "library_as_place",
    }  # fmt: skip
    first = {
        "code": "kepuasan_pojok_baca",
        "name_id": "Pojok baca",
        "name_en": "Reading corner",
        "questions": [{"id": "nyaman", "type": "likert", "text_id": "Nyaman", "text_en": "Cosy"}],
    }
    made = run(feedback_db, templates.put_template, first, ADMIN)
    assert made["version"] == 1
    second = {**first, "questions": [*first["questions"], {
        "id": "saran", "type": "text", "required": False, "text_id": "Saran", "text_en": "Ideas",
    }]}  # fmt: skip
    assert run(feedback_db, templates.put_template, second, ADMIN)["version"] == 2
    assert (
        len(read(feedback_db, templates.get_template, "kepuasan_pojok_baca", 1)["questions"]) == 1
    )
    with pytest.raises(Forbidden):
        run(feedback_db, templates.put_template, first, KMN)
    bad = {**first, "questions": [{"id": "p", "type": "single", "text_id": "x", "text_en": "x"}]}
    with pytest.raises(ValidationFailed) as err:
        run(feedback_db, templates.put_template, bad, ADMIN)
    assert "options" in json.dumps(err.value.details)


def test_an_event_completed_opens_one_survey_and_invites_who_checked_in(feedback_db):
    first = run(feedback_db, campaigns.event_completed, completed_event())
    again = run(
        feedback_db, campaigns.event_completed, completed_event(attendees=["REG000009"])
    )  # the same occurrence, told again (another event id)
    assert first.seq == again.seq
    found = read(feedback_db, campaigns.get_campaign, first.id, KMN)
    assert (found["template"], found["subject_id"], found["invited"]) == (
        "pasca_kegiatan", "OCC000001", 3,
    )  # fmt: skip
    assert found["public_link"] is None
    opened = emitted(feedback_db, "survey_opened")
    assert len(opened) == 1 and opened[0]["data"]["invited"] == 3
    # tokens are secrets: in no event
    tokens = _tokens(feedback_db, first.id)
    assert len(tokens) == 3 and not any(t in json.dumps(emitted(feedback_db)) for t in tokens)
    # the branch and the co-hosting partner see it; others do not
    read(feedback_db, campaigns.get_campaign, first.id, UNJA)
    for caller in (SPN, OTHER_PARTNER):
        with pytest.raises(Forbidden):
            read(feedback_db, campaigns.get_campaign, first.id, caller)
    links = read(feedback_db, campaigns.list_invitations, first.id, KMN)["items"]
    assert [i["link"] for i in links] == [f"/s/{t}" for t in tokens]


@sqlite_only
def test_a_post_event_survey_counts_only_who_could_be_asked(feedback_db):
    """A walk-in left no contact: not invited, so everyone reachable answering is 100%."""
    event = {**completed_event(), "invitable": ["REG000001", "REG000002"]}
    campaign = run(feedback_db, campaigns.event_completed, event)
    for token in _tokens(feedback_db, campaign.id):
        run(feedback_db, responses.submit_response, token, {"answers": POST_EVENT}, today=DAY)
    found = read(feedback_db, results.results, campaign.id, KMN)
    assert (found["invited"], found["responses"], found["response_rate"]) == (2, 2, 1.0)


@sqlite_only
def test_training_completed_opens_the_programmes_evaluation_once(feedback_db):
    for staff in ("S000001", "S000002", "S000002"):
        data = {
            "programme_id": "PRG000007",
            "staff_id": staff,
            "branch": "KMN",
            "topic": "Pelatihan SLiMS",
            "completed_on": DAY,
        }
        campaign = run(feedback_db, campaigns.training_completed, data)
    found = read(feedback_db, campaigns.get_campaign, campaign.id, ADMIN)
    assert (found["template"], found["subject_type"], found["invited"]) == (
        "evaluasi_pelatihan", "programme", 2,
    )  # fmt: skip
    assert len(emitted(feedback_db, "survey_opened")) == 1


POST_EVENT = {"isi": 5, "pemandu": "4", "tempat": 3, "rekomendasi": 9, "komentar": "Seru!"}


def test_bad_answers_are_refused_per_question_and_nothing_is_stored(feedback_db):
    campaign = run(feedback_db, campaigns.event_completed, completed_event())
    token = _tokens(feedback_db, campaign.id)[0]
    before = _counts(feedback_db)
    bad = {"isi": 6, "pemandu": "baik", "rekomendasi": None, "tahu_dari": "radio", "warna": 3}
    with pytest.raises(ValidationFailed) as err:
        run(feedback_db, responses.submit_response, token, {"answers": bad}, today=DAY)
    fields = err.value.details["fields"]
    assert fields == {
        "isi": ["Must be from 1 to 5."],
        "pemandu": ["Give a whole number from 1 to 5."],
        "tempat": ["An answer is required."],
        "rekomendasi": ["An answer is required."],
        "tahu_dari": ["Choose one of the options."],
        "warna": ["No such question in this survey."],
    }
    assert _counts(feedback_db) == before
    made = run(feedback_db, responses.submit_response, token, {"answers": POST_EVENT}, today=DAY)
    assert made == {"campaign_id": campaign.id, "responses": 1}
    with pytest.raises(Conflict):  # a token is answered once
        run(feedback_db, responses.submit_response, token, {"answers": POST_EVENT}, today=DAY)
    with pytest.raises(NotFound):
        run(feedback_db, responses.submit_response, "x" * 22, {"answers": POST_EVENT}, today=DAY)
    later = campaign.closes_on + dt.timedelta(days=1)
    with pytest.raises(Gone):
        read(feedback_db, responses.survey_form, _tokens(feedback_db, campaign.id)[1], today=later)
    assert _counts(feedback_db)[0] == 1


def _branch_campaign(db, template, subject="KMN-2026", public=True):
    payload = {
        "template": template,
        "subject_type": "branch",
        "subject_id": subject,
        "title": "Layanan Cabang Kumun Debai",
        "branch": "KMN",
        "opens_on": "2026-11-01",
        "closes_on": "2026-11-30",
        "public": public,
    }
    return run(db, campaigns.open_campaign, payload, KMN, today=DAY)


def _public_code(made):
    return made["public_link"].removeprefix("/s/")


def test_anonymous_responses_hold_nothing_to_link_them(feedback_db):
    made = _branch_campaign(feedback_db, "nps")
    code = _public_code(made)
    form = read(feedback_db, responses.survey_form, code, today=DAY)
    assert form["anonymous"] and form["template"]["code"] == "nps"
    run(feedback_db, responses.submit_response, code, {"answers": {"rekomendasi": 10}}, today=DAY)
    with feedback_db.reading() as session:
        stored = session.scalars(select(Response)).one()
        assert stored.invitation_seq is None and stored.submitted_on == DAY
        assert isinstance(stored.submitted_on, dt.date) and not isinstance(
            stored.submitted_on, dt.datetime
        )
        row = session.execute(select(Response.__table__)).one()._mapping
        assert set(row) == {"id", "campaign_seq", "invitation_seq", "submitted_on", "answers"}
        if session.get_bind().dialect.name == "sqlite":  # no rowid to tell the order they came
            sql = session.execute(text("SELECT sql FROM sqlite_master WHERE name='responses'"))
            assert sql.scalar_one().rstrip().endswith("WITHOUT ROWID")
    submitted = emitted(feedback_db, "response_submitted")[-1]["data"]
    assert set(submitted) == {"campaign_id", "subject_type", "subject_id", "branch", "responses"}
    with pytest.raises(Forbidden):  # a branch opens campaigns about its own branch only
        run(feedback_db, campaigns.open_campaign, {**_payload("nps"), "branch": "SPN"}, KMN)
    with pytest.raises(Conflict):  # one per subject
        _branch_campaign(feedback_db, "nps")


def _payload(template):
    return {
        "template": template, "subject_type": "branch", "subject_id": "X",
        "title": "X", "branch": "KMN", "closes_on": "2026-12-31",
    }  # fmt: skip


def _libqual(minimum, desired, perceived):
    from services.feedback.builtin import LIBQUAL_ITEMS

    answers = {
        qid: {"minimum": minimum, "desired": desired, "perceived": perceived}
        for rows in LIBQUAL_ITEMS.values()
        for qid, *_ in rows
    }
    return {"answers": answers}


def test_the_figures_of_a_campaign_and_its_summary_when_it_closes(feedback_db):
    nps = _public_code(_branch_campaign(feedback_db, "nps", "NPS-KMN"))
    for score in (10, 9, 9, 8, 7, 3):  # 3 promoters, 1 detractor of 6: NPS 33.3
        run(
            feedback_db,
            responses.submit_response,
            nps,
            {"answers": {"rekomendasi": score}},
            today=DAY,
        )
    lq = _branch_campaign(feedback_db, "layanan_perpustakaan", "LQ-KMN")
    for answer in (_libqual(5, 8, 6), _libqual(5, 8, 7)):
        run(feedback_db, responses.submit_response, _public_code(lq), answer, today=DAY)
    skm = _branch_campaign(feedback_db, "skm", "SKM-KMN")
    for value in (4, 3):
        answers = {f"u{i}": value for i in range(1, 10)}
        run(
            feedback_db,
            responses.submit_response,
            _public_code(skm),
            {"answers": answers},
            today=DAY,
        )

    figures = read(feedback_db, results.results, lq["id"], KMN)
    assert figures["responses"] == 2
    item = next(q for q in figures["questions"] if q["id"] == "as1")
    assert (item["minimum"], item["desired"], item["perceived"]) == (5.0, 8.0, 6.5)
    assert (item["adequacy_gap"], item["superiority_gap"]) == (1.5, -1.5)
    assert {d["dimension"] for d in figures["dimensions"]} == {
        "affect_of_service", "information_control", "library_as_place",
    }  # fmt: skip
    skm_figures = read(feedback_db, results.results, skm["id"], ADMIN)["satisfaction"]
    assert skm_figures["index"] == 87.5 and skm_figures["grade"] == "B"  # 3.5 * 25
    nps_id = read(feedback_db, campaigns.list_campaigns, {"template": "nps"}, KMN)["items"][0]["id"]
    assert read(feedback_db, results.results, nps_id, KMN)["nps"] == 33.3
    with pytest.raises(Forbidden):
        read(feedback_db, results.results, nps_id, SPN)

    closed = run(feedback_db, results.close_campaign, nps_id, KMN)
    assert closed["status"] == "closed"
    summary = emitted(feedback_db, "evaluation_summarized")[-1]["data"]
    assert summary["campaign_id"] == nps_id and summary["responses"] == 6
    assert summary["nps"] == 33.3 and summary["subject_type"] == "branch"
    with pytest.raises(Gone):
        run(feedback_db, responses.submit_response, nps, {"answers": {"rekomendasi": 9}}, today=DAY)
    with pytest.raises(Conflict):
        run(feedback_db, results.close_campaign, nps_id, KMN)

    year = read(feedback_db, results.overview, {"year": 2026}, ADMIN)
    kmn = next(b for b in year["branches"] if b["branch"] == "KMN")
    assert kmn["responses"] == 10 and kmn["satisfaction"]["index"] == 87.5
    assert year["months"][0]["month"] == "2026-11"
    with pytest.raises(Forbidden):
        read(feedback_db, results.overview, {"year": 2026, "branch": "SPN"}, KMN)
    assert TODAY  # the shared day of the other modules' tests


def test_a_closed_campaign_publishes_its_libqual_gaps_and_lists_them_as_its_result(feedback_db):
    lq = _branch_campaign(feedback_db, "layanan_perpustakaan", "LQ-KMN")
    for answer in (_libqual(5, 8, 6), _libqual(6, 8, 9)):
        run(feedback_db, responses.submit_response, _public_code(lq), answer, today=DAY)
    listed = read(feedback_db, campaigns.list_campaigns, {}, ADMIN)["items"]
    assert [c["result"] for c in listed] == [None]  # open: nothing published yet
    run(feedback_db, results.close_campaign, lq["id"], KMN)
    summary = emitted(feedback_db, "evaluation_summarized")[-1]["data"]
    # Each dimension: mean perceived (6+9)/2 minus mean minimum (5+6)/2.
    assert {d["dimension"]: d["adequacy_gap"] for d in summary["libqual"]} == {
        "affect_of_service": 2.0, "information_control": 2.0, "library_as_place": 2.0,
    }  # fmt: skip
    assert all(d["superiority_gap"] == 7.5 - 8 for d in summary["libqual"])
    (listed,) = read(feedback_db, campaigns.list_campaigns, {}, ADMIN)["items"]
    assert listed["result"] == summary  # what a rebuild reads is what the event told
    nps = _branch_campaign(feedback_db, "nps", "NPS-KMN")
    run(feedback_db, responses.submit_response, _public_code(nps), {"answers": {"rekomendasi": 9}},
        today=DAY)  # fmt: skip
    run(feedback_db, results.close_campaign, nps["id"], KMN)
    assert emitted(feedback_db, "evaluation_summarized")[-1]["data"]["libqual"] == []


@sqlite_only
def test_campaigns_past_their_last_day_close_by_themselves_once(feedback_db):
    from services.feedback.closing import Closer

    run(feedback_db, campaigns.event_completed, completed_event())
    with feedback_db.transaction() as session:
        session.get(Campaign, 1).closes_on = dt.date.today() + dt.timedelta(days=3)
    clock = iter([0.0, 10.0, 400.0])
    closer = Closer(feedback_db.transaction, 300, clock=lambda: next(clock))
    assert closer.run_once() == 0
    assert emitted(feedback_db, "evaluation_summarized") == []  # its last day is ahead
    with feedback_db.transaction() as session:
        session.get(Campaign, 1).closes_on = dt.date.today() - dt.timedelta(days=1)
    closer.run_once()  # 10 s later: not looked yet
    assert emitted(feedback_db, "evaluation_summarized") == []
    closer.run_once()
    (summary,) = emitted(feedback_db, "evaluation_summarized")
    assert summary["data"]["subject_id"] == "OCC000001"
