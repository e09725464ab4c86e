"""What every Pustaka service shares: configuration, database, outbox, reliable
event handling, the event envelope, caller context, typed errors and health."""

import warnings

# nameko 2 depends on eventlet, which warns at import that it is in maintenance:
# said once here, before any part of Pustaka imports it, not by every command.
warnings.filterwarnings("ignore", message="(?s).*Eventlet is deprecated")
