"""deploy/browser.py's decisions alone: when it installs Chromium and what it says
when it cannot. apt-get is replaced; nothing is installed."""

import pytest

from deploy import browser


@pytest.fixture
def installs(monkeypatch):
    """Record installs instead of running apt-get; the install 'succeeds'."""
    done = []
    monkeypatch.setattr(browser, "install", lambda: done.append("chromium") or True)
    return done


def test_a_chromium_that_is_there_is_used_as_it_is(monkeypatch, tmp_path, installs):
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    monkeypatch.setenv("PUSTAKA_CHROMIUM", str(chromium))
    assert browser.ensure() and installs == []


def test_a_missing_debian_chromium_is_installed(monkeypatch, installs):
    monkeypatch.delenv("PUSTAKA_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "available", lambda path: bool(installs))
    assert browser.ensure() and installs == ["chromium"]


def test_without_a_way_to_get_one_it_says_exactly_how_and_does_not_fail(monkeypatch, capsys):
    monkeypatch.delenv("PUSTAKA_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "available", lambda path: False)
    monkeypatch.setattr(browser.shutil, "which", lambda name: None)
    monkeypatch.setattr(browser.os, "geteuid", lambda: 1000)  # not root: no apt-get install
    assert not browser.ensure()
    advice = capsys.readouterr().err
    assert "apt-get install -y chromium" in advice and "PUSTAKA_CHROMIUM" in advice
    assert browser.main() == 0  # the browser tests skip and say why; the run goes on


def test_a_chromium_named_elsewhere_is_never_installed_over(monkeypatch, tmp_path, installs):
    monkeypatch.setenv("PUSTAKA_CHROMIUM", str(tmp_path / "not-there"))
    assert not browser.ensure() and installs == []
