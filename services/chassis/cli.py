"""`pustaka`: the operator's commands.

pustaka migrate [PART ...]        bring databases to the newest schema
pustaka declare                   declare exchanges and handler queues
pustaka keys create NAME --role R [--branch B] [--partner P] [--scope S ...]
pustaka keys list | keys revoke KEY_ID
pustaka dlq list SERVICE          parked messages of a service's handlers
pustaka dlq replay SERVICE [--id EVENT_ID]
pustaka up                        run the whole platform here (see deploy/local.py)
pustaka down                      stop it, and wait until it has stopped
pustaka catalog import FILE       import MARC21 or MARCXML, with progress (catalog/cli.py)
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
import time

from .config import COMPONENTS, SERVICE_CLASSES, database_url, load_config


def _service_classes(names=None):
    from .run import import_service

    return [import_service(SERVICE_CLASSES[n]) for n in names or SERVICE_CLASSES]


def cmd_migrate(args, config) -> None:
    from .migrations import upgrade

    unknown = set(args.parts) - set(COMPONENTS)
    if unknown:
        sys.exit(f"unknown part(s): {', '.join(sorted(unknown))}; known: {', '.join(COMPONENTS)}")
    for part in args.parts or list(COMPONENTS):
        url = upgrade(part, config)
        print(f"migrated {part}: {url.split('@')[-1]}")


def cmd_declare(args, config) -> None:
    from .declare import declare_all

    services = [n for n in SERVICE_CLASSES if n != "gateway"]
    for name in declare_all(config["AMQP_URI"], _service_classes(services)):
        print(f"declared {name}")


def gateway_db(config):
    from gateway.models import Base

    from .db import open_database

    return open_database(database_url(config, "gateway"), Base.metadata)


def cmd_keys(args, config) -> None:
    from gateway.keys import create_key, revoke_key
    from gateway.models import ApiClient

    with gateway_db(config).transaction() as session:
        if args.keys_cmd == "create":
            client, key = create_key(
                session,
                args.name,
                args.role,
                args.branch,
                args.partner,
                args.scope,
                args.rate_limit,
            )
            print(f"created {client.role} key {client.key_id} for {client.name!r}")
            print(f"key (shown once): {key}")
        elif args.keys_cmd == "revoke":
            revoke_key(session, args.key_id)
            print(f"revoked {args.key_id}")
        else:
            for c in session.query(ApiClient).order_by(ApiClient.created_at):
                state = "revoked" if c.revoked_at else "active"
                where = c.branch or c.partner or "-"
                print(f"{c.key_id}  {c.role:<10} {where:<12} {state:<8} {c.name}")


def cmd_dlq(args, config) -> None:
    from .deadletters import list_parked, replay

    if args.dlq_cmd == "list":
        parked = list_parked(config["AMQP_URI"], args.service)
        for p in parked:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(p.parked_at))
            print(f"{p.message_id}  {when}  {p.original_queue}  attempts={p.attempts}  {p.error}")
        print(f"{len(parked)} parked in {args.service}.dead-letters")
    else:
        count = replay(config["AMQP_URI"], args.service, args.id)
        print(f"replayed {count} message(s)")


def cmd_up(args, config) -> None:
    from deploy.local import up

    up(config)


def cmd_down(args, config) -> None:
    from deploy.local import down

    if not down():
        sys.exit(1)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pustaka", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("migrate", help="bring databases to the newest schema")
    m.add_argument("parts", nargs="*", metavar="PART", help=", ".join(COMPONENTS))
    m.set_defaults(run=cmd_migrate)
    sub.add_parser("declare", help="declare exchanges and queues").set_defaults(run=cmd_declare)
    k = sub.add_parser("keys", help="API keys").add_subparsers(dest="keys_cmd", required=True)
    kc = k.add_parser("create")
    kc.add_argument("name")
    kc.add_argument("--role", required=True, choices=["admin", "branch", "partner", "integrator"])
    kc.add_argument("--branch")
    kc.add_argument("--partner")
    kc.add_argument("--scope", action="append", default=[])
    kc.add_argument("--rate-limit", type=int, default=20, help="requests/s; 0 for none")
    k.add_parser("list")
    kr = k.add_parser("revoke")
    kr.add_argument("key_id")
    for sp in (kc, *k.choices.values()):
        sp.set_defaults(run=cmd_keys)
    d = sub.add_parser("dlq", help="dead-letter queues").add_subparsers(
        dest="dlq_cmd", required=True
    )
    dl = d.add_parser("list")
    dl.add_argument("service")
    dr = d.add_parser("replay")
    dr.add_argument("service")
    dr.add_argument("--id", help="replay only the message with this event id")
    for sp in (dl, dr):
        sp.set_defaults(run=cmd_dlq)
    sub.add_parser("up", help="run the platform on this machine").set_defaults(run=cmd_up)
    sub.add_parser("down", help="stop it and wait until it has").set_defaults(run=cmd_down)
    for package in COMPONENTS.values():  # each part's own commands, where it has some
        if importlib.util.find_spec(f"{package}.cli"):
            importlib.import_module(f"{package}.cli").add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    config = load_config()
    try:
        args.run(args, config)
    except Exception as exc:
        from .errors import DomainError

        if isinstance(exc, DomainError):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
