"""`pustaka`: the operator's commands.

pustaka migrate [PART ...]        bring databases to the newest schema
pustaka declare                   declare exchanges, handler queues and dead-letter queues
pustaka dlq list SERVICE          parked messages of a service's handlers
pustaka dlq replay SERVICE [--id EVENT_ID]
pustaka up                        run the whole platform here (see pustaka/local.py)
pustaka down                      stop it, and wait until it has stopped
pustaka run PART                  one process of a part (what supervisord and pods run)
pustaka check schema PART         wait until PART's database has the newest schema
pustaka check broker              exit 0 if this process' pod holds a broker connection
pustaka check ready|alive PART    exit 0 if PART's processes here are ready (would answer
                                  within the deadline) or alive (deploy/checks.py)
pustaka events tail [SERVICE] [TYPE] [--count N]
                                  the live stream of events, one line each
pustaka integrators create|list|remove NAME
pustaka integrators subscribe NAME QUEUE PATTERN... | unsubscribe NAME QUEUE
                                  integrators' own broker users, and the queues they
                                  read (pustaka/integrators.py)
pustaka broker-users              each part's own broker user (pustaka/broker_users.py)
and each part's own: pustaka keys ... (gateway/cli.py), pustaka catalog ... (catalog/cli.py)
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import time

from chassis.errors import DomainError

from . import broker_users, integrators, platform


def cmd_migrate(args, config) -> None:
    for name, url in platform.migrate(config, args.parts):
        print(f"migrated {name}: {url}")


def cmd_declare(args, config) -> None:
    for name in platform.declare(config):
        print(f"declared {name}")


def cmd_dlq(args, config) -> None:
    from chassis.nameko.deadletters import list_parked, replay

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
    from .local import up

    up(config)


def cmd_down(args, config) -> None:
    from deploy.local import down, var_dir

    if not down(var_dir()):
        sys.exit(1)


def cmd_run(args, config) -> None:
    platform.part(args.part)  # refuse an unknown part here, with the list
    os.execv(sys.executable, [sys.executable, "-m", "pustaka.run", args.part])


def cmd_check(args, config) -> None:
    from deploy.checks import broker_connected, process_state, wait_for_schema

    if args.check_cmd == "broker":
        ok = broker_connected(config["AMQP_URI"])
    elif args.check_cmd in ("ready", "alive"):
        ok = process_state(args.part, args.check_cmd, config)
    else:
        from chassis.migrations import revisions

        chosen = platform.part(args.part)
        ok = wait_for_schema(args.part, lambda: revisions(chosen, config))
    sys.exit(0 if ok else 1)


def cmd_events(args, config) -> None:
    from chassis.nameko.tail import tail

    publishing = [p.name for p in platform.services()]
    if args.service is not None and args.service not in publishing:
        sys.exit(f"no service {args.service!r}; the services are: {', '.join(publishing)}")
    services = [args.service] if args.service else publishing
    wanted = f"{', '.join(services)}: {args.type or 'every event'}"

    def ready() -> None:
        print(f"tailing {wanted}; Ctrl-C to stop", file=sys.stderr, flush=True)

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how an operator stops it
        tail(config["AMQP_URI"], services, args.type, args.count, ready=ready)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pustaka", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    names = [part.name for part in platform.parts()]
    m = sub.add_parser("migrate", help="bring databases to the newest schema")
    m.add_argument("parts", nargs="*", metavar="PART", help=", ".join(names))
    m.set_defaults(run=cmd_migrate)
    sub.add_parser("declare", help="declare exchanges and queues").set_defaults(run=cmd_declare)
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
    r = sub.add_parser("run", help="run one process of a part")
    r.add_argument("part", choices=names)
    r.set_defaults(run=cmd_run)
    c = sub.add_parser("check", help="checks a pod runs").add_subparsers(
        dest="check_cmd", required=True
    )
    c.add_parser("broker").set_defaults(run=cmd_check)
    for check in ("schema", "ready", "alive"):
        cs = c.add_parser(check)
        cs.add_argument("part", choices=names)
        cs.set_defaults(run=cmd_check)
    ev = sub.add_parser("events", help="the platform's events").add_subparsers(
        dest="events_cmd", required=True
    )
    et = ev.add_parser("tail", help="the live stream of events, one line each")
    et.add_argument("service", nargs="?", help="one service's events only")
    et.add_argument("type", nargs="?", help="one type of event only (e.g. title_created)")
    et.add_argument("--count", type=int, help="stop after this many events")
    et.set_defaults(run=cmd_events)
    integrators.add_commands(sub)
    broker_users.add_commands(sub)
    for part in platform.parts():  # each part's own commands, where it has some
        if part.cli:
            importlib.import_module(part.cli).add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    config = platform.load_config()
    config["AMQP_URI"] = broker_users.command_uri(config)
    try:
        args.run(args, config)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
