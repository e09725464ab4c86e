"""The operator's commands on the databases, run as an operator runs them (those on
the broker: tests/service/pustaka/test_dlq_cli.py)."""

from pymarc import Field, Record, Subfield

from tests.support import cli_env, pustaka


def test_marc_import_from_the_command_line_reports_and_is_idempotent(tmp_path):
    env = cli_env(tmp_path)
    assert pustaka(env, "migrate", "catalog").returncode == 0
    records = []
    for n, title in enumerate(("Hikayat Hang Tuah", "Sitti Nurbaya"), start=1):
        record = Record()
        record.add_field(Field(tag="001", data=f"cli-{n}"))
        record.add_field(Field(tag="245", indicators=["0", "0"], subfields=[Subfield("a", title)]))
        records.append(record)
    # as other libraries' records often are: a holding with a call number, no copy
    records[1].add_field(
        Field(tag="852", indicators=[" ", " "], subfields=[Subfield("h", "899.2")])
    )
    path = tmp_path / "koleksi.mrc"
    path.write_bytes(b"".join(r.as_marc() for r in records) + b"garbage\x1d")

    first = pustaka(env, "catalog", "import", str(path))
    assert first.returncode == 0, first.stderr
    assert "added 2, unchanged 0, failed 1, holdings skipped 1" in first.stdout
    assert "record 3:" in first.stderr
    assert "record 2: skipped holding 1 (852): no barcode ($p) or branch ($b)\n" in first.stderr
    again = pustaka(env, "catalog", "import", str(path))
    assert "added 0, unchanged 2, failed 1, holdings skipped 0" in again.stdout
    assert "skipped holding" not in again.stderr
    exported = pustaka(env, "catalog", "export", "--q", "nurbaya")
    assert exported.stdout.count("<record") == 1 and "Sitti Nurbaya" in exported.stdout


def test_keys_are_created_listed_and_revoked(tmp_path):
    env = cli_env(tmp_path)
    assert pustaka(env, "migrate", "gateway").returncode == 0
    made = pustaka(env, "keys", "create", "Cabang Kumun", "--role", "branch", "--branch", "KMN")
    assert made.returncode == 0 and "key (shown once): pk_" in made.stdout
    key_id = made.stdout.split("key ")[1].split()[0]
    assert key_id in pustaka(env, "keys", "list").stdout
    assert pustaka(env, "keys", "revoke", key_id).returncode == 0
    assert "revoked" in pustaka(env, "keys", "list").stdout
    refused = pustaka(env, "keys", "create", "x", "--role", "branch")
    assert refused.returncode == 2 and "branch" in refused.stderr
