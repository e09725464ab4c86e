"""The HTTP edge of Pustaka: authentication, routes per service, one error table,
OpenAPI, deadlines on every call into the platform."""
