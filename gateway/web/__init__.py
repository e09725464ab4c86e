"""The web app: the server-rendered pages people meet, on a phone, without script
or anything from another host. The shell (shell/) is the layout, rendering,
sign-in and message catalogues; each part's slice (events/, feedback/, people/)
holds its pages and templates and may import its own part's contract only
(tests/unit/gateway/test_web_imports.py). Each slice's WEB names the classes whose
routes the gateway service includes. A page renders what a service answered; it
holds no business rule of its own."""
