import ast
from pathlib import Path

import pytest
import yaml

from chassis.config import DEFAULT_FILE, ROOT, ConfigError, database_url, load_config
from pustaka import platform


def test_environment_overrides_yaml_with_typed_values(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("AMQP_URI: amqp://a/\nOUTBOX_BATCH: 500\ncatalog: {}\n")
    config = load_config(path, environ={"OUTBOX_BATCH": "64", "AMQP_URI": "amqp://b/"})
    assert config["OUTBOX_BATCH"] == 64
    assert config["AMQP_URI"] == "amqp://b/"


def test_a_parts_keys_come_from_double_underscore_names(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("DATA_DIR: x\n")
    config = load_config(
        path, environ={"CATALOG__DATABASE_URL": "postgresql://h/cat"}, sections=["catalog"]
    )
    assert database_url(config, "catalog") == "postgresql://h/cat"


def test_every_part_has_a_section_and_an_sqlite_file_by_default(tmp_path):
    config = platform.load_config(environ={"DATA_DIR": str(tmp_path)})
    for part in platform.parts():
        assert database_url(config, part.name) == f"sqlite:///{tmp_path}/{part.name}.db"


def test_a_name_that_is_no_part_is_refused_not_given_sqlite(tmp_path):
    config = platform.load_config(environ={"DATA_DIR": str(tmp_path), "LOANS__DATABASE_URL": "x"})
    with pytest.raises(ConfigError, match="no section for 'loans'"):
        database_url(config, "loans")


def keys_read_by_the_code() -> dict[str, str]:
    """Every literal key read from a mapping named `config` (config["X"],
    config.get("X"), self.container.config["X"]), with where it is read."""
    found = {}
    for path in [*ROOT.glob("pustaka/**/*.py"), *ROOT.glob("services/**/*.py")] + [
        *ROOT.glob("gateway/**/*.py"),
        *ROOT.glob("deploy/**/*.py"),
    ]:
        for node in ast.walk(ast.parse(path.read_text())):
            target, key = None, None
            if isinstance(node, ast.Subscript):
                target, key = node.value, node.slice
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
            ):
                target, key = node.func.value, node.args[0]
            name = getattr(target, "attr", getattr(target, "id", None))
            if name == "config" and isinstance(key, ast.Constant) and isinstance(key.value, str):
                found[key.value] = f"{Path(path).relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_setting_the_code_reads_has_its_default_in_the_yaml():
    defaults = yaml.safe_load(DEFAULT_FILE.read_text())
    # Set by the composition root, from the list of parts.
    derived = {"SERVICES", "BROKER_USERS"}
    read = keys_read_by_the_code()
    assert len(read) >= 10
    missing = {k: where for k, where in read.items() if k not in defaults and k not in derived}
    assert missing == {}, "read by the code but without a default in config/pustaka.yaml"


def test_every_default_can_be_overridden_from_the_environment():
    defaults = yaml.safe_load(DEFAULT_FILE.read_text())
    flat = [k for k, v in defaults.items() if not isinstance(v, dict)]
    config = platform.load_config(environ={k.upper(): "41" for k in flat})
    assert all(config[k] == 41 for k in flat)
