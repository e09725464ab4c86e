"""What every Pustaka service shares, free of any messaging framework:
configuration, the database and its sessions, the transactional outbox (storage and
claiming), the event envelope, caller context, typed errors, schemas, pagination,
bulk writes and migrations. The adapter to nameko is the subpackage nameko/."""
