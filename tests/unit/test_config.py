from services.chassis.config import database_url, load_config


def test_environment_overrides_yaml_with_typed_values(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("AMQP_URI: amqp://a/\nOUTBOX_BATCH: 500\ncatalog: {}\n")
    config = load_config(path, environ={"OUTBOX_BATCH": "64", "AMQP_URI": "amqp://b/"})
    assert config["OUTBOX_BATCH"] == 64
    assert config["AMQP_URI"] == "amqp://b/"


def test_nested_keys_come_from_double_underscore_names(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("DATA_DIR: x\n")
    config = load_config(path, environ={"CATALOG__DATABASE_URL": "postgresql://h/cat"})
    assert database_url(config, "catalog") == "postgresql://h/cat"


def test_default_database_is_an_sqlite_file_per_service(tmp_path):
    config = load_config(environ={"DATA_DIR": str(tmp_path)})
    assert database_url(config, "catalog") == f"sqlite:///{tmp_path}/catalog.db"
    assert database_url(config, "gateway") == f"sqlite:///{tmp_path}/gateway.db"
