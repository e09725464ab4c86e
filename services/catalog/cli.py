"""`pustaka catalog ...`: the catalogue's own operator commands, run where the
catalogue's database is reachable.

  pustaka catalog import FILE [--as NAME]   import a MARC21 or MARCXML file, with progress;
                                             bad records and skipped holdings to stderr
  pustaka catalog export [--q WORDS] [--type T] ...  MARCXML of every match, to stdout
  pustaka catalog demo                       load the demo collection if the catalogue is empty
"""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

from chassis.config import database_url
from chassis.context import Caller
from chassis.db import DatabaseSession, open_database

from . import demo, exchange
from .models import Base


def catalog_db(config: dict) -> DatabaseSession:
    return open_database(database_url(config, "catalog"), Base.metadata)


def add_commands(sub) -> None:
    cat = sub.add_parser("catalog", help="the catalogue").add_subparsers(
        dest="catalog_cmd", required=True
    )
    imp = cat.add_parser("import", help="import a MARC21 or MARCXML file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--as", dest="who", default="cli", help="who to record as the cataloguer")
    exp = cat.add_parser("export", help="MARCXML of every title a search matches")
    for name in ("q", "type", "language", "subject", "available_at"):
        exp.add_argument(f"--{name.replace('_', '-')}", dest=name)
    cat.add_parser("demo", help="load the demo collection into an empty catalogue")
    for parser in cat.choices.values():
        parser.set_defaults(run=run)


def run(args, config) -> None:
    db = catalog_db(config)
    if args.catalog_cmd == "import":
        data = args.file.read_bytes()
        with tqdm(unit=" records", desc=args.file.name) as bar:

            def progress(report):
                bar.update(report.seen - bar.n)
                bar.set_postfix(
                    added=report.added,
                    unchanged=report.unchanged,
                    failed=len(report.failed),
                    skipped=len(report.skipped),
                )

            caller = Caller(client_id=args.who, role="admin")
            cataloguer = db.acting_as(caller.as_context())  # whom its events name
            report = exchange.import_marc(cataloguer.transaction, data, caller, progress)
        for problem in report.failed:
            print(f"record {problem['position']}: {problem['reason']}", file=sys.stderr)
        for holding in report.skipped:
            print(
                f"record {holding['position']}: skipped holding {holding['holding']}"
                f" ({holding['tag']}): {holding['reason']}",
                file=sys.stderr,
            )
        print(
            f"added {report.added}, unchanged {report.unchanged}, failed {len(report.failed)},"
            f" holdings skipped {len(report.skipped)}"
        )
    elif args.catalog_cmd == "export":
        params = {
            k: getattr(args, k)
            for k in ("q", "type", "language", "subject", "available_at")
            if getattr(args, k)
        }
        with db.reading() as session:
            sys.stdout.write(exchange.export_search(session, params))
    else:
        print(f"loaded {demo.load_demo(db)} titles")
