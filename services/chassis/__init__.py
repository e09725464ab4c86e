"""What every Pustaka service shares: configuration, database, outbox, reliable
event handling, the event envelope, caller context, typed errors and health."""
