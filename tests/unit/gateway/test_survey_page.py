"""The survey form's page on its own, its service replaced by stubs: every question
type rendered as plain controls, a refusal shown beside its question with the
answers kept, and the pages for a link that leads nowhere, is used or has closed."""

from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from chassis.errors import Conflict, Gone, NotFound, ValidationFailed
from gateway.web.feedback.survey import survey_page
from services.feedback.builtin import BUILT_IN

QUESTIONS = [
    q for code in ("evaluasi_pelatihan", "pasca_kegiatan", "skm") for q in BUILT_IN[code][2]
]
QUESTIONS += [BUILT_IN["layanan_perpustakaan"][2][0]]
SURVEY = {
    "campaign_id": "CMP000001",
    "title": "Evaluasi <Kegiatan>",
    "template": {"code": "x", "version": 1, "name_id": "Uji", "name_en": "Test",
                 "questions": list({q["id"]: q for q in QUESTIONS}.values())},
    "closes_on": "2026-12-31",
    "anonymous": True,
}  # fmt: skip


def request(method="GET", query="", form=None) -> Request:
    builder = EnvironBuilder(path="/s/abc", method=method, query_string=query, data=form)
    return Request(builder.get_environ())


def render(req, form_of=lambda token: SURVEY, submit=lambda token, payload: None):
    return survey_page(req, "abc", form_of, submit, lambda r: r.form)


def test_every_question_type_is_a_plain_control():
    page = render(request())
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in html
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]
    assert "Evaluasi &lt;Kegiatan&gt;" in html  # escaped
    assert html.count('name="rekomendasi"') == 11  # NPS 0-10
    assert html.count('name="materi"') == 5  # Likert 1-5
    assert html.count('name="keseluruhan"') == 9  # rating 1-9
    assert html.count('name="u1"') == 4  # SKM 1-4
    assert html.count('name="as1.perceived"') == 9  # LibQUAL+ 1-9, each part
    assert 'type="checkbox" name="topik_lanjutan"' in html
    assert 'type="radio" name="tahu_dari"' in html
    assert '<textarea name="komentar"' in html
    assert "Jawaban Anda anonim" in html
    english = render(request(query="lang=en")).get_data(as_text=True)
    assert 'lang="en"' in english and "Send my answers" in english


def test_a_refusal_is_shown_beside_its_question_with_the_answers_kept():
    def refuse(token, payload):
        assert payload["answers"]["topik_lanjutan"] == ["ti", "literasi"]
        assert payload["answers"]["as1"] == {"minimum": "3", "desired": None, "perceived": None}
        raise ValidationFailed("no", {"fields": {"materi": ["Must be from 1 to 5."],
                                                  "isi": ["An answer is required."]}})  # fmt: skip

    form = MultiDict([("topik_lanjutan", "ti"), ("topik_lanjutan", "literasi"),
                      ("as1.minimum", "3"), ("komentar", "Bagus <b>sekali</b>")])  # fmt: skip
    page = render(request("POST", form=form), submit=refuse)
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="error-materi">Pilih nilai 1 sampai 5.' in html
    assert 'id="error-isi">Pertanyaan ini wajib dijawab.' in html
    assert 'value="literasi" checked' in html and 'value="ti" checked' in html
    assert 'name="as1.minimum" value="3" checked' in html
    assert "Bagus &lt;b&gt;sekali&lt;/b&gt;</textarea>" in html
    thanks = render(request("POST", form=MultiDict([("materi", "4")])))
    assert thanks.status_code == 200 and "Terima kasih!" in thanks.get_data(as_text=True)


def test_links_that_lead_nowhere_are_used_or_closed_are_pages():
    def raising(exc):
        def form_of(token):
            raise exc

        return form_of

    cases = [
        (NotFound("x"), 404, "Survei tidak ditemukan"),
        (Gone("x"), 410, "Survei sudah ditutup"),
        (Conflict("x", {"token": "used"}), 409, "Survei sudah dijawab"),
        (Conflict("x", {"token": "not_open"}), 409, "Survei belum dibuka"),
    ]
    for exc, status, text in cases:
        page = render(request(), form_of=raising(exc))
        assert page.status_code == status and text in page.get_data(as_text=True)


def test_a_form_the_gateway_cannot_read_is_a_page_too():
    from gateway.edge.errors import PayloadTooLarge

    def too_large(request):
        raise PayloadTooLarge("The body is over 64000 bytes.")

    page = survey_page(request("POST"), "abc", lambda t: SURVEY, lambda t, p: None, too_large)
    assert page.status_code == 413 and page.mimetype == "text/html"
    assert "Jawaban tidak dapat dibaca" in page.get_data(as_text=True)
