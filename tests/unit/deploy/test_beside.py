"""deploy/beside.py: commands side by side, each one's output whole, any failure fails."""

import sys

from deploy.beside import commands, run


def test_commands_split_on_their_separator_only():
    argv = [":::", "a", ":::", "b", "--", "-m", "not postgres"]
    assert commands(argv) == [["a"], ["b", "--", "-m", "not postgres"]]


def test_every_output_is_shown_whole_and_any_failure_fails(capfd):
    say = [sys.executable, "-c", "import sys; print('one'); print('two'); sys.exit({})"]
    ok = [*say[:2], say[2].format(0)]
    failing = [*say[:2], say[2].format(3)]
    assert run([ok, ok]) == 0
    assert "one\ntwo" in capfd.readouterr().out
    assert run([ok, failing]) == 1
    assert "exit 3" in capfd.readouterr().out
