"""The one adapter between Pustaka's chassis and its messaging framework, nameko
(with kombu beneath): dependency providers, the rpc and event-handler entrypoints,
the outbox relay, queue declaration, dead letters and the service runner.

Everything nameko-specific lives here, so the core (chassis/*.py) and every
service's domain modules stay free of it: replacing the framework means replacing
this package and each service's thin service.py. A service imports what it uses
from the modules here: service.py (ServiceBase, rpc), database.py (Database),
handlers.py (event_handler).
"""

import warnings

# nameko 2 depends on eventlet, which warns at import that it is in maintenance:
# said once here, before anything of Pustaka imports it, not by every command.
warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
