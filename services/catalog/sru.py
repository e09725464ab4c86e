"""SRU 1.2 (https://www.loc.gov/standards/sru/sru-1-2.html): the catalogue for a
partner university's union or federated search. `handle` takes a request's
arguments and answers `explain` or `searchRetrieve` as the protocol's XML; every
refusal is a diagnostic inside a 200 answer, as the standard has it. The gateway
carries requests to it (the catalogue's `sru` method), as it does OAI-PMH's.

A CQL query (cql.py) is answered by the catalogue's own search (search.py): each
clause is one search, and `and`, `or` and `not` combine their matches. The word
indexes (`cql.anywhere`, `dc.title`, `dc.creator`, and `dc.subject` but with
`==`/`exact`) all search the one word index of titles (title, authors, subjects,
description, with Indonesian roots and `word*` prefixes): the catalogue indexes
no field apart, so `dc.title` finds a word in the author too. `dc.subject ==` is a
subject heading exactly; `bath.isbn` an ISBN (10 or 13, any punctuation). Records
are MARCXML or simple Dublin Core, from the public view of a title (public.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from urllib.parse import urlsplit

from pyroaring import BitMap
from sqlalchemy.orm import Session
from stdnum import isbn as isbn_std
from stdnum.exceptions import ValidationError as NumberError

from chassis.errors import ValidationFailed

from . import cql, dublin_core, marc, search
from .cql import Boolean, Clause, CQLError
from .oai_pmh import DC_NS, REPOSITORY_NAME, xml_text
from .public import public_view, with_public_holdings
from .titles import dump_titles

SRW_NS = "http://www.loc.gov/zing/srw/"
DIAG_NS = "http://www.loc.gov/zing/srw/diagnostic/"
SRW_DC_NS = "info:srw/schema/1/dc-schema"
ZEEREX_NS = "http://explain.z3950.org/dtd/2.0/"
VERSION = "1.2"
VERSIONS = ("1.1", "1.2")
DEFAULT_RECORDS, MAX_RECORDS = 10, 100
RECORD_PAGE = "/katalog/"  # a title's public page, its id appended

for _prefix, _uri in (("srw", SRW_NS), ("diag", DIAG_NS), ("srw_dc", SRW_DC_NS),
                      ("zr", ZEEREX_NS)):  # fmt: skip
    ET.register_namespace(_prefix, _uri)

# Record schemas by their short names and identifiers: (short name, identifier, title).
SCHEMAS = (
    ("marcxml", "info:srw/schema/1/marcxml-v1.1", "MARC21 XML"),
    ("dc", "info:srw/schema/1/dc-v1.1", "Simple Dublin Core"),
)
_SCHEMA_BY_NAME = {name: s for s in SCHEMAS for name in (s[0], s[1])}
# The indexes explain lists: (set, name, title).
INDEXES = (
    ("cql", "anywhere", "Any word of the record"),
    ("dc", "title", "Title"),
    ("dc", "creator", "Author"),
    ("dc", "subject", "Subject"),
    ("bath", "isbn", "ISBN"),
)
CONTEXT_SETS = (
    ("cql", "info:srw/cql-context-set/1/cql-v1.2"),
    ("dc", "info:srw/cql-context-set/1/dc-v1.1"),
    ("bath", "http://zing.z3950.org/cql/bath/2.0/"),
)
WORD_INDEXES = {None, "cql.anywhere", "cql.serverchoice", "dc.title", "dc.creator", "dc.subject"}
WORD_RELATIONS = {"=", "==", "all", "any", "adj", "exact"}
KNOWN = {"operation", "version", "query", "startRecord", "maximumRecords", "recordPacking",
         "recordSchema", "recordXPath", "resultSetTTL", "sortKeys", "stylesheet"}  # fmt: skip
# Diagnostics given here besides cql.py's.
(GENERAL, UNSUPPORTED_OPERATION, UNSUPPORTED_VERSION, BAD_VALUE, MISSING,
 UNSUPPORTED_PARAMETER, UNSUPPORTED_INDEX, UNSUPPORTED_RELATION, EMPTY_TERM, MASKING,
 MASK_TOO_SHORT, TERM_FORMAT, OUT_OF_RANGE, UNKNOWN_SCHEMA, UNSUPPORTED_PACKING, XPATH,
 STYLESHEET) = 1, 4, 5, 6, 7, 8, 16, 19, 27, 28, 29, 36, 61, 66, 71, 72, 110  # fmt: skip
# Clauses in one query at most: each is a search of its own. A term's length at
# most: the catalogue's search takes no more (TitleQuery's q).
MAX_CLAUSES, MAX_TERM = 20, 200


class Diagnostic(Exception):
    def __init__(self, code: int, message: str, details: str = ""):
        super().__init__(message)
        self.code, self.message, self.details = code, message, details


def handle(session: Session, args: Mapping, base_url: str) -> str:
    """One SRU request ({name: [values]} or {name: value}) answered as XML text."""
    params = {k: (v[0] if isinstance(v, list | tuple) else v) for k, v in args.items() if v}
    # A bare base URL is asked what this server is; a query alone, to search.
    operation = params.get("operation") or ("searchRetrieve" if "query" in params else "explain")
    try:
        _check_common(params)
        if operation == "explain":
            return _serialise(_explain(base_url))
        if operation != "searchRetrieve":
            raise Diagnostic(UNSUPPORTED_OPERATION, "Unsupported operation.", operation or "")
        return _serialise(_search_retrieve(session, params, base_url))
    except (Diagnostic, CQLError) as problem:
        root = "explainResponse" if operation == "explain" else "searchRetrieveResponse"
        return _serialise(_refusal(root, problem))


def _check_common(params: dict) -> None:
    unknown = sorted(k for k in params if k not in KNOWN and not k.startswith("x-"))
    if unknown:
        raise Diagnostic(UNSUPPORTED_PARAMETER, "Unsupported parameter.", unknown[0])
    if params.get("version", VERSION) not in VERSIONS:
        raise Diagnostic(UNSUPPORTED_VERSION, "Unsupported version.", VERSION)
    if "stylesheet" in params:
        raise Diagnostic(STYLESHEET, "Stylesheets are not supported.", params["stylesheet"])


# -- answers ------------------------------------------------------------------------------


def _el(parent, namespace: str, tag: str, text=None, attrib=None) -> ET.Element:
    name = f"{{{namespace}}}{tag}"
    element = ET.Element(name, attrib or {}) if parent is None else ET.SubElement(
        parent, name, attrib or {}
    )  # fmt: skip
    if text is not None:
        element.text = xml_text(str(text))
    return element


def _serialise(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _refusal(root_tag: str, problem: Diagnostic | CQLError) -> ET.Element:
    root = _el(None, SRW_NS, root_tag)
    _el(root, SRW_NS, "version", VERSION)
    if root_tag == "searchRetrieveResponse":
        _el(root, SRW_NS, "numberOfRecords", 0)
    else:  # an explain answer needs its record even when refusing
        root.append(_explain_record(""))
    _diagnostics(root, [problem])
    return root


def _diagnostics(root: ET.Element, problems: list) -> None:
    holder = _el(root, SRW_NS, "diagnostics")
    for problem in problems:
        diagnostic = _el(holder, DIAG_NS, "diagnostic")
        _el(diagnostic, DIAG_NS, "uri", f"info:srw/diagnostic/1/{problem.code}")
        if problem.details:
            _el(diagnostic, DIAG_NS, "details", problem.details)
        _el(diagnostic, DIAG_NS, "message", problem.message)


def _whole_number(params: dict, name: str, default: int, least: int) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < least:
        raise Diagnostic(BAD_VALUE, f"Unsupported parameter value: {name}.", name)
    return int(raw)


def _search_retrieve(session: Session, params: dict, base_url: str) -> ET.Element:
    if not params.get("query"):
        raise Diagnostic(MISSING, "Mandatory parameter not supplied.", "query")
    if "sortKeys" in params:
        raise Diagnostic(cql.SORT, "Sorting is not supported: results come newest first.")
    if "recordXPath" in params:
        raise Diagnostic(XPATH, "XPath retrieval is not supported.")
    start = _whole_number(params, "startRecord", 1, 1)
    wanted = min(_whole_number(params, "maximumRecords", DEFAULT_RECORDS, 0), MAX_RECORDS)
    schema = _SCHEMA_BY_NAME.get(params.get("recordSchema", SCHEMAS[0][0]))
    if schema is None:
        raise Diagnostic(UNKNOWN_SCHEMA, "Unknown schema for retrieval.", params["recordSchema"])
    packing = params.get("recordPacking", "xml")
    if packing not in ("xml", "string"):
        raise Diagnostic(UNSUPPORTED_PACKING, "Unsupported record packing.", packing)
    tree = cql.parse(params["query"])
    if _clauses(tree) > MAX_CLAUSES:
        raise Diagnostic(BAD_VALUE, f"A query has at most {MAX_CLAUSES} search clauses.", "query")
    matches = _matches(session, tree)
    total = len(matches)
    root = _el(None, SRW_NS, "searchRetrieveResponse")
    _el(root, SRW_NS, "version", VERSION)
    _el(root, SRW_NS, "numberOfRecords", total)
    if total and start > total:
        problem = Diagnostic(OUT_OF_RANGE, "First record position out of range.", str(start))
        _diagnostics(root, [problem])
        return root
    # Newest first, as the catalogue's search gives them: record n is the nth newest.
    seqs = [matches[total - i] for i in range(start, min(total, start + wanted - 1) + 1)]
    if seqs:
        records = _el(root, SRW_NS, "records")
        titles = [public_view(t) for t in dump_titles(session, search.load_titles(session, seqs))]
        for position, data in enumerate(_record_data(session, titles, schema[0], base_url), start):
            record = _el(records, SRW_NS, "record")
            _el(record, SRW_NS, "recordSchema", schema[1])
            _el(record, SRW_NS, "recordPacking", packing)
            holder = _el(record, SRW_NS, "recordData")
            if packing == "xml":
                holder.append(data)
            else:
                holder.text = ET.tostring(data, encoding="unicode")
            _el(record, SRW_NS, "recordPosition", position)
    if start + len(seqs) <= total and seqs:
        _el(root, SRW_NS, "nextRecordPosition", start + len(seqs))
    return root


def _record_data(session: Session, titles: list[dict], schema: str, base_url: str):
    if schema == "marcxml":
        for title in with_public_holdings(session, titles):  # as a union catalogue wants
            yield ET.fromstring(marc.title_to_marcxml_record(title))
        return
    page = _site(base_url) + RECORD_PAGE
    for title in titles:
        record = _el(None, SRW_DC_NS, "dc")
        for name, value in dublin_core.elements(title):
            _el(record, DC_NS, name, value)
        _el(record, DC_NS, "identifier", page + title["id"])
        yield record


def _site(base_url: str) -> str:
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"


# -- the query ----------------------------------------------------------------------------


def _clauses(tree: Clause | Boolean) -> int:
    return 1 if isinstance(tree, Clause) else _clauses(tree.left) + _clauses(tree.right)


def _matches(session: Session, tree: Clause | Boolean) -> BitMap:
    if isinstance(tree, Boolean):
        left, right = _matches(session, tree.left), _matches(session, tree.right)
        if tree.operator == "and":
            return left & right
        return left | right if tree.operator == "or" else left - right
    return _clause(session, tree)


def _clause(session: Session, clause: Clause) -> BitMap:
    index, relation, term = clause.index, clause.relation, clause.term.strip()
    if index not in WORD_INDEXES and index != "bath.isbn":
        raise Diagnostic(UNSUPPORTED_INDEX, "Unsupported index.", clause.index or "")
    if relation not in WORD_RELATIONS:
        raise Diagnostic(UNSUPPORTED_RELATION, "Unsupported relation.", relation)
    if not term:
        raise Diagnostic(EMPTY_TERM, "Empty term unsupported.")
    if len(term) > MAX_TERM:
        raise Diagnostic(TERM_FORMAT, f"A term has at most {MAX_TERM} characters.", term[:MAX_TERM])
    if index == "bath.isbn":
        return _isbn(session, term)
    if index == "dc.subject" and relation in ("==", "exact"):
        return _search(session, {"subject": term})
    if any(mask in term.rstrip("*") for mask in "*?"):
        raise Diagnostic(MASKING, "Masking characters are supported at the end of a word only.",
                         term)  # fmt: skip
    if relation == "any":
        return BitMap.union(BitMap(), *(_search(session, {"q": w}) for w in term.split()))
    return _search(session, {"q": term})


def _isbn(session: Session, term: str) -> BitMap:
    try:
        number = isbn_std.compact(isbn_std.to_isbn13(isbn_std.validate(term)))
    except NumberError:
        return BitMap()  # no title has an ISBN that is none
    return _search(session, {"q": number})


def _search(session: Session, params: dict) -> BitMap:
    """The catalogue's search for one clause; what it refuses, as a diagnostic."""
    try:
        return search.matching(session, params)
    except ValidationFailed as refused:
        if "*" in params.get("q", ""):
            raise Diagnostic(MASK_TOO_SHORT, "Masked words too short: use a longer prefix.",
                             params["q"]) from refused  # fmt: skip
        raise Diagnostic(TERM_FORMAT, "The term is too long or has no words to search for.",
                         params.get("q", "")[:200]) from refused  # fmt: skip


# -- explain ------------------------------------------------------------------------------


def _explain(base_url: str) -> ET.Element:
    root = _el(None, SRW_NS, "explainResponse")
    _el(root, SRW_NS, "version", VERSION)
    root.append(_explain_record(base_url))
    return root


def _explain_record(base_url: str) -> ET.Element:
    record = _el(None, SRW_NS, "record")
    _el(record, SRW_NS, "recordSchema", ZEEREX_NS)
    _el(record, SRW_NS, "recordPacking", "xml")
    data = _el(record, SRW_NS, "recordData")
    explain = _el(data, ZEEREX_NS, "explain")
    parts = urlsplit(base_url)
    server = _el(explain, ZEEREX_NS, "serverInfo",
                 attrib={"protocol": "SRU", "version": VERSION, "transport": parts.scheme or "http",
                         "method": "GET"})  # fmt: skip
    _el(server, ZEEREX_NS, "host", parts.hostname or "localhost")
    _el(server, ZEEREX_NS, "port", parts.port or (443 if parts.scheme == "https" else 80))
    _el(server, ZEEREX_NS, "database", parts.path.lstrip("/") or "sru")
    database = _el(explain, ZEEREX_NS, "databaseInfo")
    _el(database, ZEEREX_NS, "title", REPOSITORY_NAME, {"lang": "id", "primary": "true"})
    _el(database, ZEEREX_NS, "description",
        "Katalog Perpustakaan Kota Sungai Penuh dan cabangnya.", {"lang": "id"})  # fmt: skip
    indexes = _el(explain, ZEEREX_NS, "indexInfo")
    for name, identifier in CONTEXT_SETS:
        _el(indexes, ZEEREX_NS, "set", attrib={"name": name, "identifier": identifier})
    for set_name, name, title in INDEXES:
        index = _el(indexes, ZEEREX_NS, "index", attrib={"search": "true"})
        _el(index, ZEEREX_NS, "title", title, {"lang": "en"})
        _el(_el(index, ZEEREX_NS, "map"), ZEEREX_NS, "name", name, {"set": set_name})
    schemas = _el(explain, ZEEREX_NS, "schemaInfo")
    for name, identifier, title in SCHEMAS:
        schema = _el(schemas, ZEEREX_NS, "schema",
                     attrib={"identifier": identifier, "name": name})  # fmt: skip
        _el(schema, ZEEREX_NS, "title", title, {"lang": "en"})
    config = _el(explain, ZEEREX_NS, "configInfo")
    _el(config, ZEEREX_NS, "default", DEFAULT_RECORDS, {"type": "numberOfRecords"})
    _el(config, ZEEREX_NS, "setting", MAX_RECORDS, {"type": "maximumRecords"})
    return record
