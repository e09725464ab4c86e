"""The gateway's edge, which names no service: routes with authentication, request
ids and bounded bodies (http.py), keys and rate limits (auth.py), the one error
table (errors.py), calls with deadlines through clients made from contracts
(calls.py), the record cache (cache.py), and the OpenAPI and AsyncAPI documents
built from routes and contracts. The routes of each service are in gateway/routes/."""
