"""Who gets an answer, and how often, from one gateway process counting in memory:
one 401 for every way of not having a valid key, a limit per client address for
public routes and one apart for failed attempts (keys typed on the sign-in page
included), which never refuses a valid key, a per-key limit beside them, an
X-Forwarded-For ignored from a peer nobody configured as a proxy, and a revoked key
refused at once by the gateway that had just verified it (not after its cache of
verified keys expires). The same limits across several processes sharing a Redis:
tests/e2e/test_shared_limits.py."""

import time

import pytest

from tests.platform import platform_fixture
from tests.support import wait_for

RATE = 5  # requests in any one second per address without a valid key
platform = platform_fixture(databases=("sqlite",), env={"GATEWAY_ANONYMOUS_RATE_LIMIT": str(RATE)})


def drain(platform, path: str, key: str = "") -> list[int]:
    return [platform.get(path, key=key).status_code for _ in range(4 * RATE)]


def test_every_way_of_not_having_a_valid_key_gets_the_same_401(platform):
    key = platform.new_key("Sekolah Uji", "partner", "--partner", "SMA1")
    key_id = key.split("_")[1]
    wrong_secret = f"pk_{key_id}_{'x' * 43}"
    platform.cli("keys", "revoke", platform.new_key("Lama", "integrator").split("_")[1])
    answers = []
    for header in (
        None,
        "Basic abc",
        "Bearer ",
        "Bearer nonsense",
        "Bearer pk_000000000000_abc",
        f"Bearer {wrong_secret}",
    ):
        headers = {"Authorization": header} if header else {}
        answer = platform.get("/v1/catalog/titles", key="", headers=headers)
        answers.append((answer.status_code, answer.json()))
        time.sleep(1 / RATE)  # six failed attempts, within the address's limit for them
    assert len({str(a) for a in answers}) == 1, answers
    assert answers[0][0] == 401


def test_a_revoked_key_is_refused_at_once(platform):
    key = platform.new_key("Cabang Uji", "branch", "--branch", "KMN")
    assert platform.get("/v1/catalog/branches", key=key).status_code == 200  # now cached
    out = platform.cli("keys", "revoke", key.split("_")[1])
    assert "every gateway process stops accepting it now" in out
    # the cache would keep it 10 s; the broadcast makes it go within the event's delivery
    assert wait_for(
        lambda: platform.get("/v1/catalog/branches", key=key).status_code == 401,
        timeout=1.0,
        interval=0.05,
    )


def test_traffic_without_a_valid_key_is_limited_per_address(platform):
    key = platform.new_key("Universitas Uji", "partner", "--partner", "UNJA")
    assert platform.get("/v1/catalog/branches", key=key).status_code == 200  # verified
    for path, bad_key in (("/health", ""), ("/v1/catalog/titles", "pk_000000000000_abc")):
        statuses = drain(platform, path, bad_key)
        assert 429 in statuses, statuses
        limited = platform.get(path, key=bad_key)
        assert limited.status_code == 429 and limited.headers["Retry-After"]
        assert limited.json()["error"] == "RATE_LIMITED"
        # a valid key has its own limit: the address being over its own does not matter
        assert platform.get("/v1/catalog/branches", key=key).status_code == 200
        time.sleep(1.1)  # the address's window moves on


def test_wrong_keys_on_the_sign_in_page_are_limited_as_bad_headers_are(platform):
    wrong = {"key": "pk_000000000000_salah"}
    statuses = [platform.post("/masuk", key="", data=wrong).status_code for _ in range(4 * RATE)]
    assert 429 in statuses, statuses
    limited = platform.post("/masuk", key="", data=wrong)
    assert limited.status_code == 429 and "Terlalu banyak permintaan" in limited.text
    assert limited.headers["Retry-After"]
    assert "Set-Cookie" not in limited.headers
    # the same count as a bad header's: that address is over it for the API too
    assert platform.get("/v1/catalog/titles", key="pk_000000000000_abc").status_code == 429
    time.sleep(1.1)


def test_a_flood_of_bad_keys_never_locks_out_a_valid_key_from_the_same_address(platform):
    known = platform.new_key("Cabang Lama", "branch", "--branch", "KMN")
    assert platform.get("/v1/catalog/branches", key=known).status_code == 200
    fresh = [platform.new_key(f"Cabang Baru {n}", "branch", "--branch", "SPN") for n in range(2)]
    flood, valid = [], []
    for _ in range(4 * RATE):  # a valid key's request right after each bad one
        flood.append(platform.get("/v1/catalog/titles", key="pk_000000000000_banjir").status_code)
        valid.append(platform.get("/v1/catalog/branches", key=known).status_code)
        if flood[-1] == 429 and fresh:  # a key no gateway has seen yet, over the flood
            valid.append(platform.get("/v1/catalog/branches", key=fresh.pop()).status_code)
    assert flood[:RATE] == [401] * RATE and 429 in flood, flood
    assert not fresh and set(valid) == {200}, valid
    # and typed on the sign-in page, while the address is over its limit
    assert platform.get("/v1/catalog/titles", key="pk_000000000000_banjir").status_code == 429
    signed = platform.post("/masuk", key="", data={"key": known}, allow_redirects=False)
    assert signed.status_code == 303 and "pustaka_masuk" in signed.headers["Set-Cookie"]
    time.sleep(1.1)


def test_x_forwarded_for_from_a_peer_not_trusted_counts_for_nothing(platform):
    statuses = [
        platform.get("/health", key="", headers={"X-Forwarded-For": f"198.51.100.{n}"}).status_code
        for n in range(4 * RATE)
    ]
    assert 429 in statuses, statuses  # one address, however many it claims to forward for
    time.sleep(1.1)


@pytest.mark.parametrize("rate", [2])
def test_a_key_over_its_own_limit_is_429(platform, rate):
    key = platform.cli("keys", "create", "Cepat", "--role", "integrator", "--rate-limit", str(rate))
    key = key.split("key (shown once): ")[1].strip()
    statuses = [platform.get("/v1/catalog/branches", key=key).status_code for _ in range(4 * rate)]
    assert statuses.count(200) >= rate and 429 in statuses, statuses
