"""deploy/redis.py's decisions alone: what it does when no Redis answers, and the
server it would start. The real Redis is what the domain and e2e tiers use."""

from deploy import redis

URL = "redis://127.0.0.1:6379/0"


def test_a_redis_that_answers_is_used_as_it_is(monkeypatch):
    monkeypatch.setattr(redis, "answers", lambda url, timeout=2.0: True)
    monkeypatch.setattr(redis, "start_local", lambda url: (_ for _ in ()).throw(AssertionError))
    assert redis.ensure(URL)


def test_a_silent_local_redis_is_started(monkeypatch):
    started = []
    monkeypatch.setattr(redis, "answers", lambda url, timeout=2.0: bool(started))
    monkeypatch.setattr(redis, "start_local", lambda url: started.append(url) or True)
    assert redis.ensure(URL) and started == [URL]


def test_without_a_way_to_get_one_it_says_exactly_how(monkeypatch, capsys):
    monkeypatch.setattr(redis, "answers", lambda url, timeout=2.0: False)
    monkeypatch.setattr(redis.shutil, "which", lambda name: None)
    monkeypatch.setattr(redis.apt.os, "geteuid", lambda: 1000)  # not root: no apt-get install
    assert not redis.ensure(URL)
    advice = capsys.readouterr().err
    assert "apt-get install -y redis-server" in advice and "LOCAL_REDIS_URL" in advice
    assert "GATEWAY_REPLICAS=1" in advice


def test_a_remote_redis_is_never_started_here(monkeypatch, capsys):
    monkeypatch.setattr(redis, "answers", lambda url, timeout=2.0: False)
    monkeypatch.setattr(redis, "start_local", lambda url: (_ for _ in ()).throw(AssertionError))
    assert not redis.ensure("redis://redis.internal:6379/0")
    assert "No Redis answers at redis://redis.internal:6379/0" in capsys.readouterr().err


def test_the_server_started_listens_on_loopback_and_keeps_nothing_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("PUSTAKA_VAR", str(tmp_path))
    command = redis.server_command("redis://:rahasia@127.0.0.1:6390/0")
    options = dict(zip(command[1::2], command[2::2], strict=True))
    assert options["--port"] == "6390" and options["--bind"] == "127.0.0.1"
    assert options["--save"] == "" and options["--appendonly"] == "no"
    assert options["--requirepass"] == "rahasia" and options["--daemonize"] == "yes"
