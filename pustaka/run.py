"""`python -m pustaka.run PART` (or `pustaka run PART`): one process of one part's
service, as supervisord, compose and Kubernetes run it. The process is patched for
green threads before anything else is imported."""

from chassis.nameko.green import patch_process

patch_process()

import sys  # noqa: E402

from chassis.nameko.run import run  # noqa: E402
from chassis.trust import USERS_KEY  # noqa: E402

from .broker_users import own_uri, users  # noqa: E402
from .platform import load_config, part  # noqa: E402


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        sys.exit("usage: python -m pustaka.run PART")
    chosen, config = part(argv[0]), load_config()
    if config[chosen.name].get("BROKER_PASSWORD"):  # every part has a user of its own
        config[USERS_KEY] = users(config)
    config["AMQP_URI"] = own_uri(config, chosen.name)
    run(chosen.service_class(), config)


if __name__ == "__main__":
    main(sys.argv[1:])
