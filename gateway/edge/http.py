"""`route`: nameko's @http with the gateway's conventions built in: the bearer key
is checked (and the caller put in context data) before a worker starts, a path's
public ids are parsed before anything is looked up, a body (JSON, a file, a form)
is read by one function that bounds it, and any exception becomes the one error
shape (on a page, the page the service class gives for it: `refused_page`)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import inspect
import json
import logging
import re
import socket
import uuid
from functools import partial
from io import BytesIO
from itertools import accumulate

import eventlet
from eventlet.event import Event
from eventlet.wsgi import MAX_HEADER_LINE, MAX_TOTAL_HEADER_SIZE, HeaderLineTooLong, HeadersTooLarge
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer, WsgiApp
from werkzeug import exceptions
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter, Map
from werkzeug.wrappers import Request, Response

from chassis.api import BODY, PUBLIC, QUERY
from chassis.context import KEY as CALLER_KEY
from chassis.context import PUBLIC as PUBLIC_CALLER
from chassis.context import REQUEST_ID_KEY
from chassis.contract import Contract, Method
from chassis.errors import DomainError, Forbidden, NotFound
from chassis.ids import PublicId

from .auth import KeyStore
from .errors import BadRequest, Busy, PayloadTooLarge, RateLimited, error_response
from .proxies import PEER, TrustedProxies, networks
from .signin import FORM_FIELD, SIGNED_IN, page_form_token

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000  # a JSON body
MAX_FORM_BYTES = 16_384  # a form: a few short fields (OAI-PMH's arguments, a token)
MAX_JSON_DEPTH = 32  # every body this API takes nests two or three levels
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}\Z")  # printable ASCII, no spaces
UPLOAD = "file"  # body=UPLOAD: a file, as the raw body or the form field 'file' (file_body)
# The headers of a refusal that its page keeps: when to try again, how to sign in.
_REFUSAL_HEADERS = ("Retry-After", "WWW-Authenticate")
# A request's environ: the seconds its connection is not read again (_Protocol), set
# where it was refused for its rate or for keyless traffic's share (Retry-After).
HOLD = "pustaka.hold_seconds"


class _PublicIdConverter(BaseConverter):
    """A path segment that is a public id: any spelling but the id's own is no
    record (404), before a cache or a service sees it, so neither can hold or
    answer for an alias of a record (T0000042, T００００４２)."""

    public_id: PublicId
    noun: str

    def to_python(self, value: str) -> str:
        if self.public_id.parse(value) is None:
            raise NotFound(f"No {self.noun} {value!r}.", {"id": value})
        return value


# The path segments routes may name by kind: /v1/catalog/titles/<title:title_id>.
CONVERTERS: dict[str, type[BaseConverter]] = {}


def path_id(kind: str, public_id: PublicId, noun: str | None = None) -> None:
    """Let route URLs take `<kind:name>`: a segment that must be `public_id`'s own
    spelling (a route module says so for the ids of its service's contract)."""
    CONVERTERS[kind] = type(
        f"{kind.title()}Id", (_PublicIdConverter,), {"public_id": public_id, "noun": noun or kind}
    )


class _App(WsgiApp):
    """nameko's WSGI app, except that a request no route matches (404, 405) is
    answered in the one error shape too, not with werkzeug's HTML page, and that the
    client's address (REMOTE_ADDR) is the one behind a trusted proxy (proxies.py),
    for whatever reads it: the limits, a keyless client's Idempotency-Key."""

    def __init__(self, server):
        super().__init__(server)
        trusted = networks(server.container.config["GATEWAY_TRUSTED_PROXIES"])
        self.proxies = TrustedProxies(trusted)

    def __call__(self, environ, start_response):
        peer = environ[PEER] = environ.get("REMOTE_ADDR", "")
        environ["REMOTE_ADDR"] = self.proxies.client(peer, environ.get("HTTP_X_FORWARDED_FOR"))
        request = Request(environ, shallow=True)
        try:
            route, request.path_values = self.url_map.bind_to_environ(environ).match()
        except (HTTPException, DomainError) as exc:
            refusal = error_response(exc)
            if refusal.status_code == 404 and _wants_a_page(request):
                # a mistyped page address (an id of no record's spelling): a page
                gone = NotFound("There is nothing at this address.", {"path": request.path})
                refusal = _page_or(refusal, self.refused_page, request, gone)
            return refusal(environ, start_response)
        return route.handle_request(request)(environ, start_response)

    @property
    def refused_page(self):
        return getattr(self.server.container.service_cls, "refused_page", None)


def _wants_a_page(request) -> bool:
    """A browser's visit (HTML before JSON in its Accept), not an API client's."""
    if request.method not in ("GET", "HEAD"):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def _page_or(refusal, refused_page, request, exc: Exception):
    """The page a refusal of a page is shown as (refused_page, the shell's), with the
    refusal's headers that say what next; the refusal itself if there is no page, or
    the page cannot be drawn."""
    if refused_page is None:
        return refusal
    try:
        answer = refused_page(request, exc, refusal.status_code)
    except Exception:
        log.exception("the refusal's page could not be drawn")
        return refusal
    for name in _REFUSAL_HEADERS:
        if name in refusal.headers:
            answer.headers[name] = refusal.headers[name]
    return answer


class _Protocol(HttpOnlyProtocol):
    """eventlet's HTTP protocol (as nameko runs it), except that what it refuses
    before the WSGI app runs is answered in the one error shape: a request line over
    its limit (eventlet: 414, empty), a header line or all headers over theirs
    (eventlet: 400, empty; here 431, RFC 6585), a Content-Length that is not digits
    or comes with Transfer-Encoding (eventlet: 400), a transfer coding but chunked
    (eventlet: none), and whatever the standard library's parser refuses (its HTML
    page). Each closes the connection, as eventlet's do: the rest of such a request
    cannot be read as one."""

    def setup(self):
        """eventlet's, with Nagle's algorithm off: a page's answer goes out in more
        than one write, and its last, short one waited for the client's delayed ACK
        (40 ms on Linux), the whole of a cached search page's p50 (44 ms at 20
        connections, the gateway idle three quarters of the time)."""
        super().setup()
        with contextlib.suppress(OSError):  # not a TCP socket (a test's)
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self):
        """eventlet's, then, after a refusal that told the client to wait (HOLD), the
        connection is not read again until that time has passed: its answer went out
        at once, but a client that sends again on it regardless waits its turn.
        eventlet serves the ready connections in turn, and a flood of refusals on
        keep-alive connections otherwise takes a turn on each of them for every one
        a keyed request needs (docs/benchmarks.md, the public catalogue)."""
        self.environ = {}  # eventlet sets it for a request read whole
        super().handle_one_request()
        hold = self.environ.get(HOLD)
        if hold and not self.close_connection:
            eventlet.sleep(hold)
        else:  # the other connections' turn before this one's next request
            eventlet.sleep(0)

    def _read_request_line(self):
        # eventlet's own method (it is pinned): a line cut at the limit is one it
        # would answer itself, unless it is given none.
        line = super()._read_request_line()
        limit = self.server.url_length_limit
        if len(line) < limit:
            return line
        self._refuse(exceptions.RequestURITooLarge(f"The request line is over {limit} bytes."))
        return b""

    def parse_request(self) -> bool:
        try:
            parsed = super().parse_request()
        except HeaderLineTooLong:
            too_large = f"A header line is over {MAX_HEADER_LINE} bytes."
        except HeadersTooLarge:
            too_large = f"The headers are over {MAX_TOTAL_HEADER_SIZE} bytes."
        else:
            return parsed and self._framing_is_sound()
        self._refuse(exceptions.RequestHeaderFieldsTooLarge(too_large))
        return False

    def _framing_is_sound(self) -> bool:
        """The body's length is told in one way eventlet reads: a Content-Length of
        digits (RFC 9110; eventlet's int() also takes "+5" and "1_0"), or chunks,
        never both (RFC 9112: a way to smuggle a request past a proxy that reads
        the other). Any other coding eventlet would take for no body at all, and
        read the body as the next request."""
        length = self.headers.get("Content-Length")
        coding = self.headers.get("Transfer-Encoding")
        if length is not None and not (length.isascii() and length.isdigit()):
            refusal = exceptions.BadRequest(f"Content-Length {length!r} is not a number.")
        elif length is not None and coding is not None:
            both = "Content-Length and Transfer-Encoding may not be sent together."
            refusal = exceptions.BadRequest(both)
        elif coding is not None and coding.lower() != "chunked":
            unread = f"Transfer-Encoding {coding!r}: send the body chunked or with its length."
            refusal = exceptions.NotImplemented(unread)
        else:
            return True
        self._refuse(refusal)
        return False

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        """How the standard library's parse_request refuses a request (a malformed
        request line, an HTTP version it does not speak, over 100 headers)."""
        refusal = exceptions.default_exceptions.get(code, exceptions.BadRequest)
        self._refuse(refusal(message or explain))

    def _refuse(self, exc: HTTPException) -> None:
        response = error_response(exc)
        body = response.get_data()
        head = [f"HTTP/1.1 {response.status}", *map(": ".join, response.headers.items())]
        head += ["Connection: close", "", ""]
        self.wfile.write("\r\n".join(head).encode("latin-1") + body)
        self.wfile.flush()
        self.close_connection = True


class _Server(WebServer):
    def get_wsgi_app(self):
        return _App(self)

    def get_wsgi_server(self, sock, wsgi_app, protocol=_Protocol, debug=False):
        server = super().get_wsgi_server(sock, wsgi_app, protocol, debug)
        # A line per request through `logging` cost a tenth of the gateway's time
        # under load; in front of it a proxy or ingress logs requests anyway.
        server.log_output = bool(self.container.config["GATEWAY_ACCESS_LOG"])
        return server

    def make_url_map(self) -> Map:
        """nameko's map of the routes, knowing the converters of CONVERTERS."""
        url_map = Map(converters=CONVERTERS)
        for route in self._providers:
            rule = route.get_url_rule()
            rule.endpoint = route
            url_map.add(rule)
        return url_map


class Route(HttpRequestHandler):
    server = _Server()
    keys = KeyStore()

    def __init__(
        self,
        method: str,
        url: str,
        roles: tuple[str, ...] | None = (),
        summary: str = "",
        body=None,
        query=None,
        response=None,
        status: int = 200,
        tag: str = "",
        link: tuple[str, str] | None = None,
        calls: tuple[Method, ...] = (),
        page: bool = False,
        media: tuple[str, ...] = (),
        **kwargs,
    ):
        """roles: None for a public route, () for any valid key, else the roles
        allowed (admin always is). body/query/response: marshmallow schemas,
        used for the OpenAPI document; body=UPLOAD for a file. link: (path
        parameter, response field): the answer names a record that the routes
        taking that parameter address (OpenAPI links). calls: the contract methods
        it calls, whose errors (and, for a write, a reused Idempotency-Key) it may
        answer with. page: the route answers with an HTML page for people, its
        errors included (the service class's `refused_page`); a keyed page also
        takes the sign-in cookie (signin.py). media: what a page route answers
        instead of HTML when it succeeds (a feed, a citation file), its refusals
        still pages."""
        kwargs.setdefault("expected_exceptions", DomainError)
        self.roles = roles
        self.doc = {
            "summary": summary,
            "body": body,
            "query": query,
            "response": response,
            "status": status,
            "tag": tag,
            "link": link,
            "calls": calls,
            "page": page,
            "media": media,
        }
        super().__init__(method, url, **kwargs)

    def setup(self) -> None:
        """Check once, at start, that the route's function takes what its URL names
        (nameko checks it again on every request, which cost as much as the
        rest of the route's own work)."""
        rule = self.get_url_rule()
        Map([rule], converters=CONVERTERS)  # binding the rule parses its arguments
        function = getattr(self.container.service_cls, self.method_name)
        params = list(inspect.signature(function).parameters.values())[2:]  # after self, request
        takes = [p.name for p in params if p.kind is not p.VAR_KEYWORD]
        takes_any = len(takes) < len(params)  # **values: a host's forwarder (host.py)
        if not takes_any and set(takes) != set(rule.arguments):
            named = ", ".join(sorted(rule.arguments)) or "nothing"
            raise TypeError(f"{self.method_name} takes {takes}; {self.url} names {named}")
        if self.doc["page"]:
            # refused_page(request, exc, status) -> the page; gateway/web/shell/routes.py
            self.refused_page = self.container.service_cls.refused_page
        super().setup()

    def handle_request(self, request):
        request.shallow = False
        try:
            if self.roles is PUBLIC:
                with self.keys.keyless(request.remote_addr or ""):
                    return self._served(request, PUBLIC_CALLER)
            caller = self.keys.authenticate(request, self.roles, self.doc["page"])
            if SIGNED_IN in request.environ and request.method not in ("GET", "HEAD"):
                _check_form_token(request)
            return self._served(request, caller)
        except Exception as exc:
            refusal = error_response(exc)
            if isinstance(exc, (RateLimited, Busy)):
                request.environ[HOLD] = float(refusal.headers["Retry-After"])
            if not self.doc["page"]:
                return refusal
            return _page_or(refusal, self.refused_page, request, exc)

    def _served(self, request, caller) -> Response:
        """The route's answer, from a worker of its own, for `caller`."""
        context_data = {
            CALLER_KEY: caller.as_context(),
            REQUEST_ID_KEY: request_id(request, caller.client_id),
        }
        args, kwargs = self.get_entrypoint_parameters(request)
        done = Event()
        self.container.spawn_worker(
            self,
            args,
            kwargs,
            context_data=context_data,
            handle_result=partial(self.handle_result, done),
        )
        return self.response_from_result(done.wait())


route = Route.decorator


def contract_route(verb: str, url: str, roles=(), *, calls: tuple[Method, ...], **options):
    """A route over contract methods: the body or query schema (the first method's
    `payload` or `params` argument) and the answer's schema are the first method's,
    unless given."""
    first = calls[0]
    options.setdefault("body", first.input if BODY in first.params else None)
    options.setdefault("query", first.input if QUERY in first.params else None)
    options.setdefault("response", first.output)
    return route(verb, url, roles=roles, calls=calls, **options)


def routes_over(contract: Contract):
    """The route decorator of a part's web slice: `calls` names methods of the
    part's contract (one, or a tuple), the tag is the part's name unless given."""

    def decorate(verb: str, url: str, roles=(), *, calls: str | tuple[str, ...], **options):
        names = (calls,) if isinstance(calls, str) else calls
        options.setdefault("tag", contract.service)
        methods = tuple(map(contract.method, names))
        return contract_route(verb, url, roles, calls=methods, **options)

    return decorate


def _check_form_token(request) -> None:
    """A form posted to a page signed in by cookie carries the session's form token
    (signin.py): the cookie alone may have come with a form on another site's page.
    The form is read here, bounded, and put back for the route to read."""
    data = read_body(request, MAX_FORM_BYTES)
    request.environ["wsgi.input"] = BytesIO(data)
    sent = _parse_form(request, data)[0].get(FORM_FIELD, "")
    if not hmac.compare_digest(sent.encode(), page_form_token(request).encode()):
        raise Forbidden("The form is not from this page: open the page again and resend it.")


def request_id(request, client: str) -> str:
    """The id every write of this request is done once under: the client's
    Idempotency-Key (a retry of the same request is then answered, not done again),
    else one of our own. Scoped to the client, so two clients' keys never meet.

    Callers without a key are no one client: their Idempotency-Key is scoped to the
    address and the body too (`keyless_scope`), so that a second person who picks the
    same key makes a request of their own (not a 422, not the first one's answer),
    and a copy of the first person's body sent with it from elsewhere is a new
    request too, never answered with the first one's registration."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return f"{client}:{uuid.uuid4().hex}"
    if not IDEMPOTENCY_KEY.match(key):
        raise BadRequest(
            "Idempotency-Key must be 1-100 printable ASCII characters without spaces.",
            {"header": "Idempotency-Key"},
        )
    if client == PUBLIC_CALLER.client_id:
        return f"{client}:{keyless_scope(request)}:{key}"
    return f"{client}:{key}"


def keyless_scope(request) -> str:
    """What a keyless retry shares with its first sending and nobody else's request:
    the client's address (behind a trusted proxy, the one it forwards for) and the
    body. The body is read here, bounded as a JSON body is (the most any public route
    takes), and put back for the route to read."""
    data = read_body(request, MAX_BODY_BYTES)
    request.environ["wsgi.input"] = BytesIO(data)
    digest = hashlib.sha256((request.remote_addr or "").encode() + b"\0" + data)
    return digest.hexdigest()[:32]


def _within(limit: int, size: int | None) -> None:
    if size and size > limit:
        raise PayloadTooLarge(f"The body is over {limit} bytes.", {"limit": limit})


def read_body(request, limit: int) -> bytes:
    """The request's body, whole, or a 413 once it is known to be over `limit`: a
    declared length (Content-Length) over it is refused unread, and a body sent in
    chunks (Transfer-Encoding: chunked) is read no further than limit + 1 bytes.
    It is read from the server's input, not werkzeug's stream, which reads a body of
    no declared length as empty; eventlet's input ends where the body ends, chunked
    or not."""
    _within(limit, request.content_length)
    data = request.environ["wsgi.input"].read(limit + 1)
    _within(limit, len(data))
    return data


def _parse_form(request, data: bytes) -> tuple[MultiDict, MultiDict]:
    """(fields, files) of a form body already read: werkzeug's parser, given bytes
    whose size is known, never the unbounded stream."""
    parser = request.make_form_data_parser()
    _, form, files = parser.parse(
        BytesIO(data), request.mimetype, len(data), request.mimetype_params
    )
    return form, files


def form_body(request, limit: int = MAX_FORM_BYTES) -> MultiDict:
    """The fields of a form (urlencoded or multipart)."""
    return _parse_form(request, read_body(request, limit))[0]


def file_body(request, limit: int) -> bytes:
    """An uploaded file: the `file` part of a multipart form, or else the raw body
    (whatever its content type says: curl --data-binary sends a form's)."""
    data = read_body(request, limit)
    if request.mimetype == "multipart/form-data":
        upload = _parse_form(request, data)[1].get("file")
        data = upload.read() if upload else b""
    if not data.strip():
        raise BadRequest("Send the file as the body, or as the form field 'file'.")
    return data


def json_body(request, optional: bool = False) -> dict:
    """The request's JSON object, or a 400/413 that says what is wrong. Where the
    body is `optional`, none at all is an empty object."""
    data = parse_json(read_body(request, MAX_BODY_BYTES))
    if data is None and optional:
        return {}
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


def parse_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH):
    """The JSON value of a UTF-8 body (RFC 8259 requires UTF-8 between systems), or a
    400 that says what is wrong; empty is null. Nesting deeper than `max_depth` is
    refused before json.loads, which recurses once per level and, deep enough, fails
    with a RecursionError instead."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"The body is not UTF-8: {exc}.") from exc
    if _nesting(raw) > max_depth:
        raise BadRequest(
            f"The body nests arrays and objects more than {max_depth} deep.",
            {"max_depth": max_depth},
        )
    try:
        return json.loads(text or "null")
    except ValueError as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}.") from exc


# A JSON string with its escapes; possessive, so that one never closed ends at the
# end of the text instead of being tried again from every later quote (quadratic).
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def _nesting(raw: bytes) -> int:
    """How deep JSON text nests arrays and objects, brackets left open included (the
    parser descends into those too), in time linear in its size and in C for the
    most part. Byte by byte is exact for UTF-8: no byte of a multi-byte character
    is a quote, a backslash or a bracket."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)
