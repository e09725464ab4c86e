"""The certificate check page, rendered from what the people service answers:
Indonesian unless English is asked for, a 404 page for an unknown code, a 503 page
when the service cannot answer, and whatever a path held escaped."""

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from chassis.errors import NotFound
from gateway.edge.errors import ServiceUnavailable
from gateway.web.people.verification import verification_page
from gateway.web.shell.render import long_date

VALID = {
    "code": "K7QFM2XH9P",
    "valid": True,
    "holder": "Siti <Aminah>",
    "topic": "Pelatihan SLiMS",
    "kind": "training",
    "first_day": "2026-03-02",
    "last_day": "2026-03-02",
    "hours": 16,
    "issued_on": "2026-03-02",
    "revoked_at": None,
    "revoked_reason": None,
}


def request(path: str) -> Request:
    return Request(EnvironBuilder(path=path).get_environ())


def answer(path: str, verify):
    response = verification_page(request(path), path.split("/")[2].split("?")[0], verify)
    return response.status_code, response.get_data(as_text=True), response


def test_a_valid_certificate_in_indonesian_then_english():
    status, html, response = answer("/verify/K7QFM2XH9P", lambda code: VALID)
    assert status == 200 and '<html lang="id">' in html and "SAH" in html
    assert "Siti &lt;Aminah&gt;" in html and "2 Maret 2026" in html and "16 JP" in html
    assert "&ndash;" not in html  # one day, not a range
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "<script" not in html
    status, html, _ = answer("/verify/K7QFM2XH9P?lang=en", lambda code: VALID)
    assert '<html lang="en">' in html and "VALID" in html and "2 March 2026" in html


def test_a_revoked_certificate_says_when_and_why():
    revoked = {**VALID, "valid": False, "revoked_at": "2026-04-01T09:00:00+00:00"}
    revoked["revoked_reason"] = "Data keliru"
    _, html, _ = answer("/verify/K7QFM2XH9P", lambda code: revoked)
    assert "DICABUT" in html and "1 April 2026" in html and "Alasan: Data keliru" in html


def test_an_unknown_code_and_an_absent_service_are_pages_too():
    def unknown(code):
        raise NotFound(f"No certificate {code!r}.", {"code": code})

    status, html, _ = answer("/verify/<b>x", unknown)
    assert status == 404 and "tidak ditemukan" in html and "&lt;b&gt;x" in html

    def away(code):
        raise ServiceUnavailable("people is not running")

    status, html, response = answer("/verify/K7QFM2XH9P?lang=xx", away)
    assert status == 503 and '<html lang="id">' in html
    assert response.mimetype == "text/html"


def test_dates_read_as_people_write_them():
    assert long_date("2026-12-05", "id") == "5 Desember 2026"
    assert long_date("2026-08-17T00:00:00+00:00", "en") == "17 August 2026"
    assert long_date(None, "id") == ""
