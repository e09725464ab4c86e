"""The composition root of Pustaka: the one list of the platform's parts
(parts.py), what derives from it (platform.py), the platform's command line
(cli.py), the local runner (local.py) and the entry point of every service process
(run.py). Nothing below this package knows the whole platform."""
