"""The operator's commands on the broker, run as an operator runs them."""

from tests.support import cli_env, pustaka


def test_dead_letters_are_listed_and_replayed_from_the_command_line(tmp_path, config):
    env = cli_env(tmp_path, config["AMQP_URI"])
    listed = pustaka(env, "dlq", "list", "catalog")
    assert listed.returncode == 0 and "0 parked in catalog.dead-letters" in listed.stdout
    assert "replayed 0" in pustaka(env, "dlq", "replay", "catalog").stdout
