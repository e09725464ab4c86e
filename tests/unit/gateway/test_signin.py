"""Signing in on the pages, in parts: a session stands for its key until it ends
(by time, sign-out, or the key revoked) and is kept only as a hash; the way back
after signing in stays on this gateway; a form from another site's page is told
apart from this one's; the signed-in page names a branch key's branch."""

import hashlib
import time

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from chassis.context import Caller
from gateway.edge.signin import local_path, same_origin
from gateway.keys import BadKey, create_key, revoke_key
from gateway.models import PageSession
from gateway.sessions import close_session, form_token, open_session, verify_session
from gateway.web.shell.signin import signed_in_page


def hashed(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_a_session_stands_for_its_key_until_it_ends(session):
    client, key = create_key(session, "Meja Depan", "branch", branch="KMN")
    token = open_session(session, client.key_id)
    caller, rate = verify_session(session, token)
    assert (caller.client_id, caller.role, caller.branch, rate) == (
        client.key_id,
        "branch",
        "KMN",
        20,
    )
    kept = session.scalar(select(PageSession.token_hash))
    assert token not in kept and key not in kept and form_token(token) != kept
    close_session(session, token)
    with pytest.raises(BadKey):
        verify_session(session, token)


def test_a_session_ends_with_its_time_and_with_its_key(session):
    client, _ = create_key(session, "Tablet", "branch", branch="KMN")
    over, live = open_session(session, client.key_id), open_session(session, client.key_id)
    ended = session.get(PageSession, hashed(over))
    ended.expires_at = time.time() - 1
    with pytest.raises(BadKey):
        verify_session(session, over)
    # the next sign-in clears away what time ended
    open_session(session, client.key_id)
    assert session.get(PageSession, hashed(over)) is None
    assert verify_session(session, live)
    revoke_key(session, client.key_id)
    with pytest.raises(BadKey):
        verify_session(session, live)


@pytest.mark.parametrize(
    "wanted, back",
    [
        ("/pintu?code=ABCD2345&lang=en", "/pintu?code=ABCD2345&lang=en"),
        ("//contoh.example/x", "/masuk"),
        ("/\\contoh.example", "/masuk"),
        ("https://contoh.example/", "/masuk"),
        ("/pintu\r\nSet-Cookie: x=1", "/masuk"),
        ("", "/masuk"),
        (None, "/masuk"),
    ],
)
def test_the_way_back_stays_on_this_gateway(wanted, back):
    assert local_path(wanted, "/masuk") == back


@pytest.mark.parametrize(
    "headers, ours",
    [
        ({}, True),  # no browser: no one's cookie goes with it
        ({"Sec-Fetch-Site": "same-origin", "Origin": "null"}, True),
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),
        ({"Origin": "http://perpustakaan.example"}, True),
        ({"Origin": "https://perpustakaan.example"}, True),  # a proxy speaks HTTPS
        ({"Origin": "https://contoh.example"}, False),
        ({"Origin": "null"}, False),
    ],
)
def test_a_form_from_another_sites_page_is_told_apart(headers, ours):
    environ = EnvironBuilder(
        path="/masuk", method="POST", base_url="http://perpustakaan.example", headers=headers
    ).get_environ()
    assert same_origin(Request(environ)) is ours


def test_the_signed_in_page_names_the_branch_where_its_name_is_known():
    branch = Caller("k1", "branch", branch="KMN")
    page = Request(EnvironBuilder(path="/masuk").get_environ())
    named = signed_in_page(page, branch, "Perpustakaan Cabang Kumun Debai").get_data(as_text=True)
    assert "Perpustakaan Cabang Kumun Debai" in named and 'href="/pintu?lang=id"' in named
    assert "Cabang KMN" in signed_in_page(page, branch).get_data(as_text=True)  # no name known
