"""A kept record whose time ran out is served stale only while another request reads
it afresh, and never once its owner said it changed (gateway/edge/cache.py)."""

from gateway.edge import cache
from gateway.edge.cache import RecordCache


def test_an_expired_record_is_served_stale_only_while_it_is_being_read_afresh(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    kept = RecordCache(30.0)
    kept.put("catalog.search", "q=sejarah", "<html>halaman</html>", ttl=5)
    now[0] += 6  # its time is up
    assert kept.get("catalog.search", "q=sejarah") is None
    assert kept.stale("catalog.search", "q=sejarah") is None  # nobody reads it afresh
    with kept.refreshing("catalog.search", "q=sejarah"):
        assert kept.stale("catalog.search", "q=sejarah") == "<html>halaman</html>"
        assert kept.stale("catalog.search", "q=lain") is None
    assert kept.stale("catalog.search", "q=sejarah") is None


def test_what_the_owner_said_changed_is_never_served_stale(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    kept = RecordCache(30.0)
    for key in ("cleared", "changed"):
        kept.put("catalog.search", key, f"<html>{key}</html>", ttl=5)
    now[0] += 6
    kept.clear("catalog.search")  # a title changed: every search page of before
    kept.put("catalog.search", "changed", "<html>changed</html>", ttl=5)
    now[0] += 6
    kept.changed("catalog.search", "changed", None)
    with kept.refreshing("catalog.search", "cleared"), kept.refreshing("catalog.search", "changed"):
        assert kept.stale("catalog.search", "cleared") is None
        assert kept.stale("catalog.search", "changed") is None
