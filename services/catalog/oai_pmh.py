"""OAI-PMH 2.0 data provider: the catalogue for harvesters (union catalogues, partner
universities' discovery systems). A pure module: `handle` takes a request's arguments
and a `Repository` (oai_repository.py: the catalogue's harvest over a session) and
gives the HTTP status and the XML body, so every protocol rule is tested without a
database. The gateway carries requests to it (the catalogue's `oai` method).

Spec: https://www.openarchives.org/OAI/openarchivesprotocol.html (cited as "spec §").
"""

from __future__ import annotations

import base64
import calendar
import json
import math
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.parse import urljoin

from chassis.ids import SEQ_MAX

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
MARC_NS = "http://www.loc.gov/MARC21/slim"
MARC_SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_ID_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

REPOSITORY_NAME = "Perpustakaan Kota Sungai Penuh"
REPOSITORY_ID = "pustaka.sungaipenuh"
ID_PREFIX = f"oai:{REPOSITORY_ID}:"
# The default of handle(admin_email=...); the service passes OAI_ADMIN_EMAIL from its
# configuration.
ADMIN_EMAIL = "pustaka-admin@example.org"
PAGE_SIZE = 100
TITLES_PATH = "/v1/catalog/titles/"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

# The errors after which the request element carries the base URL only (spec §3.5):
# the arguments are not known to mean anything, so they are not echoed.
_UNECHOED = ("badVerb", "badArgument")
# setSpec syntax from OAI-PMH.xsd; anything else cannot name a set.
_SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SECOND = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
# XML 1.0 cannot carry most C0 controls or lone surrogates, yet ElementTree writes them,
# which makes a whole page unparseable for the harvester. Text pasted into the catalogue
# from word processors does carry them (vertical tabs, form feeds).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# ElementTree takes prefixes from a process-wide map; registering the customary ones
# makes the XML readable (oai_dc:dc, marc:record) instead of ns0:dc. Same URIs, so
# registering again elsewhere (the MARC module) does not conflict.
for _prefix, _uri in (
    ("oai_dc", OAI_DC_NS),
    ("dc", DC_NS),
    ("marc", MARC_NS),
    ("xsi", XSI_NS),
    ("oai-identifier", OAI_ID_NS),
):
    ET.register_namespace(_prefix, _uri)


class Repository(Protocol):
    """What the provider needs of the catalogue. Records are dicts:
    {"id": "T000042", "datestamp": epoch float, "deleted": bool,
     "sets": ["branch:KMN", "type:book"], "title": TitleOutput dict, or None if deleted}."""

    def earliest_datestamp(self) -> float: ...

    def sets(self) -> list[tuple[str, str]]:
        """(setSpec, setName) pairs."""
        ...

    def harvest(
        self,
        since: float | None,
        until: float | None,
        set: str | None,
        after: str | None,
        limit: int,
        marc: bool = False,
    ) -> dict[str, Any]:
        """{"records": [...] by (datestamp, id), "next": cursor or None, "total": count of
        the whole window}; since and until are inclusive. marc: marcxml() will be asked
        for these records."""
        ...

    def get(self, id: str, marc: bool = False) -> dict[str, Any] | None: ...

    def marcxml(self, title: dict[str, Any]) -> bytes:
        """One <record xmlns="http://www.loc.gov/MARC21/slim"> element."""
        ...


class OAIError(Exception):
    """A protocol error: still HTTP 200, reported as <error code="...">."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class _Context:
    repo: Repository
    base_url: str
    admin_email: str
    page_size: int
    titles_url: str


@dataclass(frozen=True)
class _Harvest:
    """A list request, fresh or resumed; a resumption token is this, encoded."""

    verb: str
    prefix: str
    from_: str | None
    until: str | None
    set: str | None
    cursor: int = 0  # how many records earlier responses of this list gave
    after: str | None = None  # the repository's cursor; None for the first page


def handle(
    args: Mapping[str, Any],
    repo: Repository,
    base_url: str,
    *,
    admin_email: str = ADMIN_EMAIL,
    page_size: int = PAGE_SIZE,
    titles_url: str | None = None,
    now: Callable[[], float] = time.time,
) -> tuple[int, bytes]:
    """Answer one OAI-PMH request. args: the query (GET) or form (POST) arguments, as
    {name: [values]} or a werkzeug MultiDict. base_url: this endpoint's URL, as
    harvesters should call it. titles_url: where a title is on the gateway (its id is
    appended); by default /v1/catalog/titles/ on base_url's host.
    Gives (200, UTF-8 XML): the spec reports protocol errors inside a 200 response."""
    titles_url = titles_url or urljoin(base_url, TITLES_PATH)
    ctx = _Context(repo, base_url, admin_email, page_size, titles_url)
    arguments = _normalise(args)
    request: dict[str, str] = {}
    try:
        verb = _verb(arguments)
        params = _arguments(verb, arguments)
        request = {"verb": verb, **params}
        body = _VERBS[verb].run(params, ctx)
    except OAIError as error:
        if error.code in _UNECHOED:
            request = {}
        body = _el(None, "error", error.message, {"code": error.code})
    return 200, _serialise(_envelope(now(), base_url, request, body))


# -- request ------------------------------------------------------------------------


def _normalise(args: Mapping[str, Any]) -> dict[str, list[str]]:
    # A MultiDict keeps repeated keys only through .lists(); repeats matter, as the
    # spec makes them errors. A bare string value is taken as one value.
    pairs = args.lists() if hasattr(args, "lists") else args.items()
    normal = {}
    for key, values in pairs:
        values = [values] if isinstance(values, str) else list(values)
        if values:
            normal[key] = values
    return normal


def _verb(args: dict[str, list[str]]) -> str:
    values = args.get("verb", [])
    if not values:
        raise OAIError("badVerb", "The verb argument is missing.")
    if len(values) > 1:
        raise OAIError("badVerb", "The verb argument is repeated.")
    if values[0] not in _VERBS:
        raise OAIError("badVerb", f"{values[0]!r} is not an OAI-PMH verb.")
    return values[0]


def _arguments(verb: str, args: dict[str, list[str]]) -> dict[str, str]:
    """The verb's arguments, one value each, or badArgument (spec §3.1.1)."""
    allowed = _VERBS[verb]
    given = {key: values for key, values in args.items() if key != "verb"}
    repeated = sorted(key for key, values in given.items() if len(values) > 1)
    if repeated:
        raise OAIError("badArgument", f"Repeated arguments: {', '.join(repeated)}.")
    params = {key: values[0] for key, values in given.items()}
    if allowed.exclusive is not None and allowed.exclusive in params:
        others = sorted(set(params) - {allowed.exclusive})
        if others:
            raise OAIError(
                "badArgument", f"{allowed.exclusive} is exclusive; also given: {', '.join(others)}."
            )
        return params
    illegal = sorted(set(params) - set(allowed.required) - set(allowed.optional))
    if illegal:
        raise OAIError("badArgument", f"Not arguments of {verb}: {', '.join(illegal)}.")
    missing = [name for name in allowed.required if name not in params]
    if missing:
        raise OAIError("badArgument", f"{verb} needs: {', '.join(missing)}.")
    return params


def _format(prefix: str) -> _Format:
    if prefix not in FORMATS:
        raise OAIError(
            "cannotDisseminateFormat",
            f"{prefix!r} is not a metadata format here; ListMetadataFormats names them.",
        )
    return FORMATS[prefix]


def _lookup(identifier: str, repo: Repository, marc: bool = False) -> dict[str, Any]:
    local = identifier[len(ID_PREFIX) :] if identifier.startswith(ID_PREFIX) else ""
    record = repo.get(local, marc) if local else None
    if record is None:
        raise OAIError("idDoesNotExist", f"{identifier!r} is not an identifier in this repository.")
    return record


def _parse_date(name: str, value: str) -> tuple[int, int]:
    """The start (epoch) of the UTC day or second `value` names, and that unit's length."""
    for pattern, form, unit in ((_DAY, "%Y-%m-%d", 86400), (_SECOND, "%Y-%m-%dT%H:%M:%SZ", 1)):
        if pattern.fullmatch(value):
            try:
                return calendar.timegm(time.strptime(value, form)), unit
            except ValueError:
                break  # the right shape but no such date, e.g. 2024-02-30
    raise OAIError("badArgument", f"{name}={value!r} is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")


def _window(from_: str | None, until: str | None) -> tuple[float | None, float | None]:
    """from/until as the repository's inclusive epoch bounds."""
    lower = _parse_date("from", from_) if from_ is not None else None
    upper = _parse_date("until", until) if until is not None else None
    if lower and upper:
        if lower[1] != upper[1]:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if lower[0] > upper[0]:
            raise OAIError("badArgument", "from is later than until.")
    since = float(lower[0]) if lower else None
    # until names a whole day or second (datestamps are shown truncated to the second),
    # and the repository's bound is inclusive: so the last float before the next unit.
    end = math.nextafter(upper[0] + upper[1], -math.inf) if upper else None
    return since, end


# -- resumption tokens ----------------------------------------------------------------


def _encode_token(query: _Harvest) -> str:
    data = {
        "verb": query.verb,
        "metadataPrefix": query.prefix,
        "from": query.from_,
        "until": query.until,
        "set": query.set,
        "cursor": query.cursor,
        "next": query.after,
    }
    raw = json.dumps(data, separators=(",", ":")).encode()
    # No "=" padding: harvesters that forget to percent-encode the token still work.
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_token(verb: str, token: str) -> _Harvest:
    bad = OAIError("badResumptionToken", "The resumptionToken is invalid or not for this verb.")
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
        data = json.loads(raw)
        query = _Harvest(
            verb=data["verb"],
            prefix=data["metadataPrefix"],
            from_=data["from"],
            until=data["until"],
            set=data["set"],
            cursor=data["cursor"],
            after=data["next"],
        )
    except (ValueError, KeyError, TypeError) as exc:  # binascii and JSON errors are ValueErrors
        raise bad from exc
    if not _sound(verb, query):
        raise bad
    return query


def _sound(verb: str, query: _Harvest) -> bool:
    """Whether a decoded token is one this module could have made for `verb`."""
    texts = (query.from_, query.until, query.set)
    if not all(value is None or isinstance(value, str) for value in texts):
        return False
    if query.verb != verb or query.prefix not in FORMATS or not isinstance(query.after, str):
        return False
    if type(query.cursor) is not int or not 0 <= query.cursor <= SEQ_MAX:
        return False  # it counts records given out: never more than there are ids
    try:
        _window(query.from_, query.until)
    except OAIError:
        return False
    return True


def _resumption_token(query: _Harvest, page: dict[str, Any], shown: int) -> ET.Element | None:
    """The list's resumptionToken element (spec §3.5): none if the list fits one
    response; empty (but with its size) on the last response of a longer one."""
    if page["next"] is None and query.after is None:
        return None
    attrs = {"completeListSize": str(page["total"]), "cursor": str(query.cursor)}
    element = _el(None, "resumptionToken", attrs=attrs)
    if page["next"] is not None:
        element.text = _encode_token(
            replace(query, cursor=query.cursor + shown, after=page["next"])
        )
    return element


# -- verbs ----------------------------------------------------------------------------


def _identify(params: dict[str, str], ctx: _Context) -> ET.Element:
    identify = _el(None, "Identify")
    _el(identify, "repositoryName", REPOSITORY_NAME)
    _el(identify, "baseURL", ctx.base_url)
    _el(identify, "protocolVersion", "2.0")
    _el(identify, "adminEmail", ctx.admin_email)
    _el(identify, "earliestDatestamp", _datestamp(ctx.repo.earliest_datestamp()))
    _el(identify, "deletedRecord", "persistent")
    _el(identify, "granularity", GRANULARITY)
    # The oai-identifier description tells harvesters how our identifiers are built.
    description = _el(identify, "description")
    scheme = _el(
        description,
        "oai-identifier",
        attrs={f"{{{XSI_NS}}}schemaLocation": f"{OAI_ID_NS} {OAI_ID_SCHEMA}"},
        ns=OAI_ID_NS,
    )
    _el(scheme, "scheme", "oai", ns=OAI_ID_NS)
    _el(scheme, "repositoryIdentifier", REPOSITORY_ID, ns=OAI_ID_NS)
    _el(scheme, "delimiter", ":", ns=OAI_ID_NS)
    _el(scheme, "sampleIdentifier", f"{ID_PREFIX}T000042", ns=OAI_ID_NS)
    return identify


def _list_metadata_formats(params: dict[str, str], ctx: _Context) -> ET.Element:
    if "identifier" in params:
        # Every title is disseminated in every format; only whether it exists matters.
        _lookup(params["identifier"], ctx.repo)
    listing = _el(None, "ListMetadataFormats")
    for prefix, form in FORMATS.items():
        entry = _el(listing, "metadataFormat")
        _el(entry, "metadataPrefix", prefix)
        _el(entry, "schema", form.schema)
        _el(entry, "metadataNamespace", form.namespace)
    return listing


def _list_sets(params: dict[str, str], ctx: _Context) -> ET.Element:
    if "resumptionToken" in params:
        # All sets fit in one response, so no token is ever issued for ListSets.
        raise OAIError("badResumptionToken", "ListSets is never resumed here.")
    sets = ctx.repo.sets()
    if not sets:
        # An empty ListSets is invalid under OAI-PMH.xsd; this is the spec's answer.
        raise OAIError("noSetHierarchy", "This repository has no sets.")
    listing = _el(None, "ListSets")
    for spec, name in sets:
        entry = _el(listing, "set")
        _el(entry, "setSpec", spec)
        _el(entry, "setName", name)
    return listing


def _list_identifiers(params: dict[str, str], ctx: _Context) -> ET.Element:
    return _list("ListIdentifiers", params, ctx)


def _list_records(params: dict[str, str], ctx: _Context) -> ET.Element:
    return _list("ListRecords", params, ctx)


def _get_record(params: dict[str, str], ctx: _Context) -> ET.Element:
    form = _format(params["metadataPrefix"])  # before the lookup: it costs no call
    record = _lookup(params["identifier"], ctx.repo, _wants_marcxml(form))
    answer = _el(None, "GetRecord")
    answer.append(_record(record, form, ctx))
    return answer


def _list(verb: str, params: dict[str, str], ctx: _Context) -> ET.Element:
    """ListIdentifiers and ListRecords: one page of the window, and the token for more."""
    if "resumptionToken" in params:
        query = _decode_token(verb, params["resumptionToken"])
    else:
        query = _new_harvest(verb, params)
    since, until = _window(query.from_, query.until)
    form = _format(query.prefix)
    page = ctx.repo.harvest(
        since=since,
        until=until,
        set=query.set,
        after=query.after,
        limit=ctx.page_size,
        marc=verb == "ListRecords" and _wants_marcxml(form),
    )
    records = page["records"]
    if not records and query.after is None:
        raise OAIError("noRecordsMatch", "No records match the given from, until and set.")
    listing = _el(None, verb)
    for record in records:
        listing.append(_record(record, form, ctx) if verb == "ListRecords" else _header(record))
    token = _resumption_token(query, page, len(records))
    if token is not None:
        listing.append(token)
    return listing


def _wants_marcxml(form: _Format) -> bool:
    return form.render is _marc21


def _new_harvest(verb: str, params: dict[str, str]) -> _Harvest:
    chosen_set = params.get("set")
    if chosen_set is not None and not _SET_SPEC.fullmatch(chosen_set):
        raise OAIError("badArgument", f"set={chosen_set!r} is not a setSpec.")
    return _Harvest(
        verb, params["metadataPrefix"], params.get("from"), params.get("until"), chosen_set
    )


# -- records --------------------------------------------------------------------------


def _record(record: dict[str, Any], form: _Format, ctx: _Context) -> ET.Element:
    element = _el(None, "record")
    element.append(_header(record))
    if not record["deleted"]:  # a deleted record is its header alone (spec §2.5.1)
        _el(element, "metadata").append(form.render(record, ctx))
    return element


def _header(record: dict[str, Any]) -> ET.Element:
    header = _el(None, "header", attrs={"status": "deleted"} if record["deleted"] else None)
    _el(header, "identifier", ID_PREFIX + record["id"])
    _el(header, "datestamp", _datestamp(record["datestamp"]))
    for spec in record.get("sets") or ():
        _el(header, "setSpec", spec)
    return header


def _oai_dc(record: dict[str, Any], ctx: _Context) -> ET.Element:
    """The catalogue's Dublin Core elements (services/catalog/dublin_core.py), and the
    record's address here."""
    location = {f"{{{XSI_NS}}}schemaLocation": f"{OAI_DC_NS} {OAI_DC_SCHEMA}"}
    dc = _el(None, "dc", attrs=location, ns=OAI_DC_NS)
    for name, value in [*record["dc"], ("identifier", ctx.titles_url + record["id"])]:
        _el(dc, name, value, ns=DC_NS)
    return dc


def _marc21(record: dict[str, Any], ctx: _Context) -> ET.Element:
    marc = ET.fromstring(ctx.repo.marcxml(record["title"]))
    if marc.tag != f"{{{MARC_NS}}}record":
        # A MARC module bug should fail loudly, not reach harvesters as bad metadata.
        raise ValueError(f"marcxml gave <{marc.tag}>, not a MARC 21 slim <record>.")
    return marc


# -- XML ------------------------------------------------------------------------------


def _el(
    parent: ET.Element | None,
    tag: str,
    text: str | None = None,
    attrs: Mapping[str, str] | None = None,
    ns: str = OAI_NS,
) -> ET.Element:
    attrib = {key: xml_text(value) for key, value in (attrs or {}).items()}
    # OAI elements stay unqualified and the root declares their namespace as the
    # default (see _envelope): ElementTree's own default_namespace option refuses the
    # unqualified attributes OAI-PMH uses (verb, code, status, ...).
    name = tag if ns == OAI_NS else f"{{{ns}}}{tag}"
    element = ET.Element(name, attrib) if parent is None else ET.SubElement(parent, name, attrib)
    if text is not None:
        element.text = xml_text(text)
    return element


def xml_text(value: object) -> str:
    """The value as XML 1.0 can carry it (SRU's answers too: sru.py)."""
    return _NOT_XML.sub("", str(value))


def _datestamp(epoch: float) -> str:
    # Truncated, never rounded up: a record must not show a datestamp later than its
    # own, or a harvest from that datestamp would miss it.
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _envelope(
    moment: float, base_url: str, request: dict[str, str], body: ET.Element
) -> ET.Element:
    attrs = {"xmlns": OAI_NS, f"{{{XSI_NS}}}schemaLocation": f"{OAI_NS} {OAI_SCHEMA}"}
    root = _el(None, "OAI-PMH", attrs=attrs)
    _el(root, "responseDate", _datestamp(moment))
    _el(root, "request", base_url, request)
    root.append(body)
    return root


def _serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# -- tables ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Format:
    schema: str
    namespace: str
    render: Callable[[dict[str, Any], _Context], ET.Element]


@dataclass(frozen=True)
class _Verb:
    run: Callable[[dict[str, str], _Context], ET.Element]
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    exclusive: str | None = None  # an argument that must come alone (spec §3.5)


FORMATS: dict[str, _Format] = {
    "oai_dc": _Format(OAI_DC_SCHEMA, OAI_DC_NS, _oai_dc),
    "marc21": _Format(MARC_SCHEMA, MARC_NS, _marc21),
}

_LISTS: dict[str, Any] = {
    "required": ("metadataPrefix",),
    "optional": ("from", "until", "set"),
    "exclusive": "resumptionToken",
}
_VERBS: dict[str, _Verb] = {
    "Identify": _Verb(_identify),
    "ListMetadataFormats": _Verb(_list_metadata_formats, optional=("identifier",)),
    "ListSets": _Verb(_list_sets, exclusive="resumptionToken"),
    "ListIdentifiers": _Verb(_list_identifiers, **_LISTS),
    "ListRecords": _Verb(_list_records, **_LISTS),
    "GetRecord": _Verb(_get_record, required=("identifier", "metadataPrefix")),
}
