"""Signing in on the pages over HTTP: a key typed once on /masuk becomes a cookie
(never the key) that opens the keyed pages and nothing of the JSON API; a form
posted with it needs the page's token; a wrong key, a session signed out and a key
revoked open nothing; the roles and branches are the key's, as with the header."""

import datetime as dt
import re
import time

import pytest

from services.events.times import WIB
from tests.platform import on_the_shared_platform

platform = on_the_shared_platform()
COOKIE = "pustaka_masuk"
YEAR = time.gmtime().tm_year


@pytest.fixture(scope="module")
def branch_key(platform) -> str:
    return platform.new_key("Meja Depan Kumun Debai", "branch", "--branch", "KMN")


def sign_in(platform, key: str, back: str = "", **kw):
    return platform.post(
        "/masuk", key="", data={"key": key, "back": back}, allow_redirects=False, **kw
    )


def signed_in(platform, key: str) -> dict:
    answer = sign_in(platform, key)
    assert answer.status_code == 303, answer.text
    return {COOKIE: answer.cookies[COOKIE]}


def form_token(html: str) -> str:
    return re.search(r'name="csrf" value="([0-9a-f]+)"', html).group(1)


def registered(platform, branch: str, name: str, contact: str) -> str:
    """A check-in code: someone registered for a storytime the test plans at `branch`
    a day from its own now. (Not the demo's next sitting there: that may be today's,
    begun already, whose registration is closed.)"""
    tomorrow = dt.datetime.now(WIB) + dt.timedelta(days=1)  # the schedule is in WIB
    plan = {
        "programme_type": "storytime",
        "title": f"Dongeng di pintu {branch}",
        "audience": "children",
        "branch": branch,
        "capacity": 5,
        "schedule": {
            "starts_at": tomorrow.replace(tzinfo=None, microsecond=0).isoformat(),
            "duration_minutes": 60,
        },
    }
    made = platform.post("/v1/events/programmes", json=plan)
    assert made.status_code == 201, made.text
    moved = platform.post(
        f"/v1/events/programmes/{made.json()['id']}/transitions", json={"to": "published"}
    )
    assert moved.status_code == 200, moved.text
    occurrence = moved.json()["occurrences"][0]["id"]
    person = {"name": name, "contact": contact}
    made = platform.post(f"/v1/events/occurrences/{occurrence}/registrations", key="", json=person)
    assert made.status_code == 201, made.text
    return made.json()["items"][0]["code"]


def test_a_keyed_page_without_a_key_answers_with_the_sign_in_form(platform):
    for path in ("/pintu?code=ABCD2345", f"/v1/feedback/overview/report?year={YEAR}"):
        page = platform.get(path, key="")
        assert page.status_code == 401 and page.headers["Content-Type"].startswith("text/html")
        assert 'action="/masuk?lang=id"' in page.text and "masuk dulu dengan kunci" in page.text
        assert f'name="back" value="{path.replace("&", "&amp;")}"' in page.text
        assert page.headers["WWW-Authenticate"]
    # the JSON API says so in JSON, as before
    assert platform.get("/v1/events/check-ins/ABCD2345", key="").json()["error"] == (
        "UNAUTHENTICATED"
    )


def test_signing_in_sets_a_cookie_that_stands_for_the_key(platform, branch_key):
    answer = sign_in(platform, branch_key, back="/pintu?code=ABCD2345")
    assert answer.status_code == 303 and answer.headers["Location"] == "/pintu?code=ABCD2345"
    cookie = answer.headers["Set-Cookie"]
    attributes = {a.strip().split("=")[0].lower() for a in cookie.split(";")}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes
    assert "SameSite=Strict" in cookie and "Path=/" in cookie and "Max-Age=43200" in cookie
    assert "secure" not in attributes  # plain HTTP here; PUBLIC_BASE_URL is http too
    secret = branch_key.split("_", 2)[2]  # pk_<key id>_<secret>, and the secret may hold "_"
    assert branch_key not in cookie and secret not in cookie
    # signed in, /masuk says who, where to go, and how to sign out
    home = platform.get("/masuk", key="", cookies={COOKIE: answer.cookies[COOKIE]})
    assert "Anda sudah masuk" in home.text and "Perpustakaan Cabang Kumun Debai" in home.text
    assert 'action="/keluar?lang=id"' in home.text and 'href="/pintu?lang=id"' in home.text
    # a back address elsewhere is not followed
    for elsewhere in ("//contoh.example/", "https://contoh.example/", "/\\contoh.example"):
        assert sign_in(platform, branch_key, back=elsewhere).headers["Location"] == (
            "/masuk?lang=id"
        )


def test_the_cookie_opens_the_keys_pages_and_no_json_route(platform, branch_key):
    cookie = signed_in(platform, branch_key)
    assert platform.get("/pintu", key="", cookies=cookie).status_code == 200
    own = platform.get("/v1/feedback/campaigns/CMP000001/report", key="", cookies=cookie)
    assert own.status_code == 200 and "Keluar" in own.text
    report = f"/v1/feedback/overview/report?year={YEAR}"
    assert platform.get(report, key="", cookies=cookie).status_code == 200
    # another branch's, as with the header: 403, as a page
    for path in ("/v1/feedback/campaigns/CMP000002/report", report + "&branch=SPN"):
        refused = platform.get(path, key="", cookies=cookie)
        assert refused.status_code == 403 and "Tidak diizinkan" in refused.text, path
        assert platform.get(path, key=branch_key).status_code == 403
    # the JSON API takes the header only
    for path in ("/v1/events/check-ins/ABCD2345", "/v1/feedback/campaigns/CMP000001/results"):
        assert platform.get(path, key="", cookies=cookie).status_code == 401
    # a partner's cookie opens no door, as its key does not
    partner = platform.new_key("SD Negeri 4 Sungai Penuh", "partner", "--partner", "PTN0003")
    door = platform.get("/pintu", key="", cookies=signed_in(platform, partner))
    assert door.status_code == 403 and "text/html" in door.headers["Content-Type"]


def test_the_door_checks_in_with_the_cookie_and_the_pages_token(platform, branch_key):
    cookie = signed_in(platform, branch_key)
    code = registered(platform, "KMN", "Rahma Yulianti", "0812-7455-0201")
    page = platform.get(f"/pintu?code={code}", key="", cookies=cookie)
    assert "TERDAFTAR - belum hadir" in page.text
    token = form_token(page.text)
    # the cookie alone, as another site's form would send it: refused, nobody let in
    for form in ({"code": code}, {"code": code, "csrf": "0" * 64}):
        forged = platform.post("/pintu", key="", cookies=cookie, data=form)
        assert forged.status_code == 403 and "text/html" in forged.headers["Content-Type"]
    assert "belum hadir" in platform.get(f"/pintu?code={code}", key="", cookies=cookie).text
    done = platform.post("/pintu", key="", cookies=cookie, data={"code": code, "csrf": token})
    assert done.status_code == 200 and "HADIR - silakan masuk" in done.text
    # another branch's participant: the service refuses the KMN key, as with the header
    elsewhere = registered(platform, "SPN", "Dedi Saputra", "0812-7455-0202")
    other = platform.post("/pintu", key="", cookies=cookie, data={"code": elsewhere, "csrf": token})
    assert other.status_code == 403
    # with the Authorization header, no cookie goes with a form: no token asked
    header = platform.post("/pintu", key=branch_key, data={"code": code})
    assert header.status_code == 200 and "SUDAH HADIR" in header.text


def test_a_wrong_key_shows_the_form_again_and_sets_nothing(platform):
    for key, says in (("pk_000000000000_salah", "Kunci tidak dikenal"), ("", "Masukkan kunci")):
        answer = sign_in(platform, key, back="/pintu")
        assert answer.status_code == 400 and says in answer.text
        assert "Set-Cookie" not in answer.headers
        assert 'name="back" value="/pintu"' in answer.text
    english = platform.post("/masuk?lang=en", key="", data={"key": "nonsense"})
    assert english.status_code == 400 and "The key is unknown" in english.text


def test_a_sign_in_from_another_sites_page_is_refused(platform, branch_key):
    for elsewhere in (
        {"Origin": "https://contoh.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        answer = sign_in(platform, branch_key, headers=elsewhere)
        assert answer.status_code == 400 and "Set-Cookie" not in answer.headers, elsewhere
    assert sign_in(platform, branch_key, headers={"Sec-Fetch-Site": "same-origin"}).ok
    here = platform.url.split("//")[1]
    assert sign_in(platform, branch_key, headers={"Origin": f"http://{here}"}).status_code == 303


def test_signing_out_forgets_the_session(platform, branch_key):
    cookie = signed_in(platform, branch_key)
    out = platform.post("/keluar", key="", cookies=cookie, allow_redirects=False)
    assert out.status_code == 303 and out.headers["Location"] == "/masuk?lang=id"
    assert re.search(
        rf"{COOKIE}=;.*(Max-Age=0|expires=Thu, 01 Jan 1970)", out.headers["Set-Cookie"]
    )
    # the same cookie, kept by whoever copied it, opens nothing any more
    assert platform.get("/pintu", key="", cookies=cookie).status_code == 401
    assert "Anda sudah masuk" not in platform.get("/masuk", key="", cookies=cookie).text


def test_signing_in_again_ends_the_session_it_replaces(platform, branch_key):
    first = signed_in(platform, branch_key)
    again = sign_in(platform, branch_key, cookies=first)
    assert again.status_code == 303 and again.cookies[COOKIE] != first[COOKIE]
    assert platform.get("/pintu", key="", cookies=first).status_code == 401
    assert platform.get("/pintu", key="", cookies=dict(again.cookies)).status_code == 200


def test_a_revoked_keys_cookie_stops_at_once(platform):
    key = platform.new_key("Tablet Hilang", "branch", "--branch", "KMN")
    cookie = signed_in(platform, key)
    assert platform.get("/pintu", key="", cookies=cookie).status_code == 200
    platform.cli("keys", "revoke", key.split("_")[1])
    assert platform.get("/pintu", key="", cookies=cookie).status_code == 401
