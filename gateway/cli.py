"""`pustaka keys ...`: the gateway's API keys, run where its database is reachable.

pustaka keys create NAME --role R [--branch B] [--partner P] [--rate-limit N]
pustaka keys list
pustaka keys revoke KEY_ID
"""

from __future__ import annotations

import json
import uuid

from chassis.config import database_url
from chassis.context import ROLES
from chassis.db import DatabaseSession, open_database
from chassis.nameko.publisher import BatchPublisher, PublishFailed

from .keys import KEY_CACHE_NOTE, REVOKED_EVENT, REVOKED_SOURCE, create_key, revoke_key
from .models import ApiClient, Base


def gateway_db(config: dict) -> DatabaseSession:
    return open_database(database_url(config, "gateway"), Base.metadata)


def announce_revoked(amqp_uri: str, key_id: str) -> None:
    """Tell every gateway process to forget the key now (they hear it by broadcast)."""
    publisher = BatchPublisher(amqp_uri, f"{REVOKED_SOURCE}.events")
    body = json.dumps({"key_id": key_id})
    try:
        publisher.publish_batch([(REVOKED_EVENT, str(uuid.uuid4()), body, None)])
        print("every gateway process stops accepting it now")
    except PublishFailed as exc:
        print(f"the broker could not be told ({exc}); {KEY_CACHE_NOTE}")
    finally:
        publisher.close()


def add_commands(sub) -> None:
    keys = sub.add_parser("keys", help="API keys").add_subparsers(dest="keys_cmd", required=True)
    made = keys.add_parser("create")
    made.add_argument("name")
    made.add_argument("--role", required=True, choices=[r for r in ROLES if r != "service"])
    made.add_argument("--branch")
    made.add_argument("--partner")
    made.add_argument("--rate-limit", type=int, default=20, help="requests/s; 0 for none")
    keys.add_parser("list")
    keys.add_parser("revoke").add_argument("key_id")
    for parser in keys.choices.values():
        parser.set_defaults(run=run)


def run(args, config) -> None:
    db = gateway_db(config)
    try:
        with db.transaction() as session:
            if args.keys_cmd == "create":
                client, key = create_key(
                    session, args.name, args.role, args.branch, args.partner, args.rate_limit
                )
                print(f"created {client.role} key {client.key_id} for {client.name!r}")
                print(f"key (shown once): {key}")
            elif args.keys_cmd == "revoke":
                revoke_key(session, args.key_id)
            else:
                for c in session.query(ApiClient).order_by(ApiClient.created_at):
                    state = "revoked" if c.revoked_at else "active"
                    where = c.branch or c.partner or "-"
                    print(f"{c.key_id}  {c.role:<10} {where:<12} {state:<8} {c.name}")
    finally:
        db.engine.dispose()
    if args.keys_cmd == "revoke":  # once it is committed
        print(f"revoked {args.key_id}")
        announce_revoked(config["AMQP_URI"], args.key_id)
