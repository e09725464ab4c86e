"""deploy/wrk.py and deploy/apt.py's decisions alone: apt-get and wrk are replaced."""

import pytest

from deploy import apt, wrk


@pytest.fixture
def apt_calls(monkeypatch):
    """apt-get as root, recording each command; `fails` lists the commands that fail."""
    calls, fails = [], []
    monkeypatch.setattr(apt, "can_install", lambda: True)
    monkeypatch.setattr(
        apt, "_run", lambda *cmd, timeout: calls.append(cmd[1]) or cmd[1] not in fails
    )
    return calls, fails


def test_wrk_on_path_is_used_as_it_is(monkeypatch):
    monkeypatch.setattr(wrk.shutil, "which", lambda name: "/usr/bin/wrk")
    monkeypatch.setattr(apt, "install", lambda package: pytest.fail("installed again"))
    assert wrk.ensure()


def test_missing_wrk_is_installed_where_apt_get_runs_as_root(monkeypatch):
    installed = []
    monkeypatch.setattr(wrk.shutil, "which", lambda name: "/usr/bin/wrk" if installed else None)
    monkeypatch.setattr(apt, "can_install", lambda: True)
    monkeypatch.setattr(apt, "install", lambda package: installed.append(package) or True)
    assert wrk.ensure() and installed == ["wrk"]


def test_without_a_way_to_install_it_says_exactly_how(monkeypatch, capsys):
    monkeypatch.setattr(wrk.shutil, "which", lambda name: None)
    monkeypatch.setattr(apt.os, "geteuid", lambda: 1000)  # not root
    assert not wrk.ensure()
    advice = capsys.readouterr().err
    assert "apt-get install -y wrk" in advice and "brew install wrk" in advice


def test_a_package_the_lists_know_installs_without_an_update(monkeypatch, apt_calls):
    calls, _ = apt_calls
    monkeypatch.setattr(apt, "known", lambda package: True)
    assert apt.install("wrk") and calls == ["install"]


def test_empty_lists_are_updated_first(monkeypatch, apt_calls):
    calls, _ = apt_calls
    monkeypatch.setattr(apt, "known", lambda package: False)
    assert apt.install("wrk") and calls == ["update", "install"]


def test_stale_lists_are_updated_and_the_install_tried_again(monkeypatch, apt_calls):
    calls, fails = apt_calls
    monkeypatch.setattr(apt, "known", lambda package: True)
    fails.append("install")  # the listed version is gone from the mirror, say
    assert not apt.install("wrk") and calls == ["install", "update", "install"]


def test_nothing_is_run_without_root(monkeypatch):
    monkeypatch.setattr(apt.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(apt, "_run", lambda *cmd, timeout: pytest.fail(f"ran {cmd}"))
    assert not apt.install("wrk")
