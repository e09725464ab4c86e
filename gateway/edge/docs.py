"""/docs: Swagger UI over /v1/openapi.json, an API explorer for people.

Everything the page loads comes from the gateway itself: the Swagger UI files that
the swagger-ui-bundle package vendors are served from /docs/assets/<name>, and the
page's Content-Security-Policy lets the browser fetch from this origin only. A
library's staff and partners open it on networks that may not reach the internet
(or should not be tracked there), and the public validator Swagger UI calls by
default would send our document to an outside host: it is switched off.
"""

from __future__ import annotations

import base64
import hashlib
import json
from functools import cache

from swagger_ui_bundle import swagger_ui_path
from werkzeug.wrappers import Response

from chassis.errors import NotFound

SPEC_URL = "/v1/openapi.json"
ASSETS_URL = "/docs/assets"

# The only files served, each by its exact name: a name from the URL is looked up
# here and never joined to a path, so nothing else of the package (or the disk) is
# reachable. The source maps are left out: only a browser's developer tools ask.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}

# An asset's URL carries a hash of its bytes (?v=...), so a browser may keep it for
# a year: a newer swagger-ui-bundle changes the URL, not what a cached URL means.
ASSET_CACHE_CONTROL = "public, max-age=31536000, immutable"

# Try it out sends the key pasted into Authorize with each call; persistAuthorization
# keeps it in the browser's storage across reloads, not on the server.
INITIALISE = f"""window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    url: {json.dumps(SPEC_URL)},
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    validatorUrl: null
  }});
}};"""


def _script_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


# Swagger UI styles its elements inline (style-src 'unsafe-inline') and draws icons
# from data: URIs; scripts are ours only: the bundle and the one inline initialiser.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        f"script-src 'self' '{_script_hash(INITIALISE)}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


@cache  # the package's files do not change while the process runs
def _asset_bytes(name: str) -> bytes:
    return (swagger_ui_path / name).read_bytes()


def asset_url(name: str) -> str:
    version = hashlib.sha256(_asset_bytes(name)).hexdigest()[:12]
    return f"{ASSETS_URL}/{name}?v={version}"


@cache
def page_html() -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pustaka API</title>
<link rel="stylesheet" href="{asset_url("swagger-ui.css")}">
<link rel="icon" type="image/png" sizes="32x32" href="{asset_url("favicon-32x32.png")}">
<link rel="icon" type="image/png" sizes="16x16" href="{asset_url("favicon-16x16.png")}">
<style>body {{ margin: 0; background: #fafafa; }}</style>
</head>
<body>
<div id="swagger-ui">
<noscript>This page needs JavaScript. The API's document is
<a href="{SPEC_URL}">{SPEC_URL}</a>; load it into any OpenAPI tool.</noscript>
</div>
<script src="{asset_url("swagger-ui-bundle.js")}"></script>
<script>{INITIALISE}</script>
</body>
</html>
"""


def page_response() -> Response:
    return Response(
        page_html(),
        mimetype="text/html",
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"},
    )


def asset_response(name: str) -> Response:
    """One file of ASSETS; any other name is a 404 in the gateway's error shape."""
    if name not in ASSETS:
        raise NotFound("No such file of the API explorer.", {"name": name})
    return Response(
        _asset_bytes(name),
        mimetype=ASSETS[name],
        headers={"Cache-Control": ASSET_CACHE_CONTROL, "X-Content-Type-Options": "nosniff"},
    )
