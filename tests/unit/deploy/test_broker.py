"""deploy/broker.py's decisions alone: what it does when no broker answers. The
broker itself is replaced; the real one is what every other tier talks to."""

from deploy import broker

URI = "amqp://guest:guest@127.0.0.1:5672/"


def test_a_broker_that_answers_is_used_as_it_is(monkeypatch):
    monkeypatch.setattr(broker, "answers", lambda uri, timeout=3.0: True)
    monkeypatch.setattr(broker, "start_local", lambda uri: (_ for _ in ()).throw(AssertionError))
    assert broker.ensure(URI)


def test_a_silent_local_broker_is_started(monkeypatch):
    started = []
    monkeypatch.setattr(broker, "answers", lambda uri, timeout=3.0: bool(started))
    monkeypatch.setattr(broker, "start_local", lambda uri: started.append(uri) or True)
    assert broker.ensure(URI) and started == [URI]


def test_without_a_way_to_get_one_it_says_exactly_how(monkeypatch, capsys):
    monkeypatch.setattr(broker, "answers", lambda uri, timeout=3.0: False)
    monkeypatch.setattr(broker.shutil, "which", lambda name: None)
    monkeypatch.setattr(broker.apt.os, "geteuid", lambda: 1000)  # not root: no apt-get install
    assert not broker.ensure(URI)
    advice = capsys.readouterr().err
    assert "apt-get install -y rabbitmq-server" in advice and "AMQP_URI" in advice


def test_a_remote_broker_is_never_started_here(monkeypatch, capsys):
    monkeypatch.setattr(broker, "answers", lambda uri, timeout=3.0: False)
    monkeypatch.setattr(broker, "start_local", lambda uri: (_ for _ in ()).throw(AssertionError))
    assert not broker.ensure("amqp://u:p@rabbit.internal:5672/")
    assert "No RabbitMQ answers" in capsys.readouterr().err


def test_the_management_plugin_is_looked_for_on_its_configured_port(monkeypatch, capsys):
    asked = []
    monkeypatch.setattr(broker, "answers", lambda uri, timeout=3.0: True)
    monkeypatch.setattr(broker, "management_answers", lambda uri, port: asked.append(port))
    monkeypatch.setattr(
        broker, "_run", lambda *cmd, timeout=300: (_ for _ in ()).throw(AssertionError)
    )
    # Another node's management port: never enable plugins on the machine's own node.
    nodes = "amqp://g:g@127.0.0.1:5701/;amqp://g:g@127.0.0.1:5702/"
    assert not broker.ensure(nodes, management=True, management_port=15701)
    assert asked == [15701]
    assert broker.management_url(nodes, 15701) == "http://127.0.0.1:15701/api/overview"
