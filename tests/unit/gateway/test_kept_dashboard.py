"""The dashboard page's answer, kept a second per credential and query
(gateway/web/insight/routes.py): one credential never sees what another was
answered, and a page asked for again within the second costs insight no call."""

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gateway.edge.cache import RecordCache
from gateway.edge.signin import COOKIE
from gateway.web.insight import routes


class Insight:
    def __init__(self):
        self.asked = []

    def dashboard(self, query):
        self.asked.append(query)
        return {"items": [], "answer": len(self.asked)}


def pages(cache_seconds: float = 10.0):
    made = routes.InsightPages()
    made.cache, made.insight = RecordCache(10.0), Insight()
    made.config = {"GATEWAY_CACHE_SECONDS": cache_seconds}
    return made


def request(authorization: str = "", cookie: str = "") -> Request:
    headers = {"Authorization": authorization} if authorization else {}
    if cookie:
        headers["Cookie"] = f"{COOKIE}={cookie}"
    return Request(EnvironBuilder(path="/dasbor", headers=headers).get_environ())


def test_each_credential_and_query_has_its_own_answer_kept(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr("gateway.edge.cache.time.monotonic", lambda: now[0])
    made = pages()
    query = {"from": "2026-01", "to": "2026-12"}
    admin, branch = request("Bearer pk_a"), request(cookie="sesi-kmn")
    first = made._kept_dashboard(admin)(query)
    assert made._kept_dashboard(admin)(dict(query)) == first  # kept: no second call
    assert made._kept_dashboard(branch)(query)["answer"] == 2  # another credential
    assert made._kept_dashboard(admin)({**query, "branches": "KMN"})["answer"] == 3
    assert len(made.insight.asked) == 3
    now[0] += routes.DASHBOARD_SECONDS + 0.01  # a second on: asked afresh
    assert made._kept_dashboard(admin)(query)["answer"] == 4


def test_with_the_gateways_caches_off_every_page_asks_insight():
    made = pages(cache_seconds=0)
    for _ in range(3):
        made._kept_dashboard(request("Bearer pk_a"))({"from": "2026-01"})
    assert len(made.insight.asked) == 3
