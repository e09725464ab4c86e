"""MARC21 to and from Pustaka's title dicts (the TitleInput/TitleOutput shapes in
contract.py). Pure: no database, no nameko; pymarc does the record model.

Reading (record_to_title)                  Writing (title_to_record)
  020 $a         isbn (qualifiers dropped)   020 $a
  022 $a         issn                        022 $a
  041 $a, 008/35-37  language                041 $a and 008/35-37
  082 $a (or 090/092)  call_number           082 04 $a
  100/110/111, 700/710/711 $a  authors       100 (first), 700 (others)
  245 $a, $b     title, subtitle             245 $a :$b
  264/260 $b, $c publisher, year             264 _1 $b, $c
  520 $a         description                 520 $a
  600/610/650/651 $a -- $v/$x/$y/$z  subjects  650 _4 $a $x...
  856 $u         access_url                  856 40 $u
  590 $a with $5 ORG_CODE  acquisition_ref   590 $a $5 ORG_CODE
  leader/06-07, 008/21, 008/23, 007, 245 $h, 655, 856  material_type
  852 $b $c $p $z, 952 $a $c $p $z  holdings  852 $a ORG_CODE $b $c $p $z
    (branch, location, barcode, note)        (from copies)

Holdings: 852 is MARC21's location field; 952 is Koha's item field, whose flags
$0 (withdrawn), $1 (lost), $4 (damaged) and $q (date due) give the copy's status.
852 has no status: a copy read from it is available. Reading gives every holding
field, in field order, as the copy it describes or the reason it describes none:
a copy needs a barcode and a branch, and many 852s of other libraries hold only
a call number or shelving text ($h, $i, $j, $k, $m, or $c alone), which says
where they shelve the title, not which copy it is. Writing takes the title's
copies: an export lists every copy but withdrawn ones, without its status
(circulation, not cataloguing).

acquisition_ref goes in 590, the local-note field, with $5 (institution the field
applies to) set to our own code: other libraries' 590s are free-text notes, and only
ours carry an acquisition number.
"""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from pymarc import Field, Indicators, Leader, Record, Subfield
from pymarc.marcxml import MARC_XML_NS, record_to_xml_node

from .contract import ELECTRONIC

ORG_CODE = "ID-SpPKSP"  # MARC organisation code of Perpustakaan Kota Sungai Penuh

END_OF_RECORD = b"\x1d"
END_OF_FIELD = 0x1E

# material_type -> leader/06 (type of record) + leader/07 (bibliographic level)
_LEADER_TYPE = {
    "book": "am",
    "ebook": "am",
    "journal": "as",
    "magazine": "as",
    "database": "ai",
    "audiovisual": "gm",
}
_CONTINUING = ("journal", "magazine", "database")
_MAGAZINE_WORDS = ("magazine", "majalah")
_EBOOK_WORDS = ("ebook", "e-book", "electronic", "elektronik")
_SUBJECT_TAGS = ("600", "610", "650", "651")
_YEAR = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")
# ISBD punctuation left at the end of a subfield; the lookbehind keeps the full stop
# of a trailing initial ("Siregar, A. R.").
_TRAILING = re.compile(r"(?<!\b\w)[\s,/:;=.]+$")
_RECORD_TAGS = {"record", f"{{{MARC_XML_NS}}}record"}


class MarcError(ValueError):
    """A MARC record that cannot become a title, or bytes that are not a record."""


# --- reading ---------------------------------------------------------------------------


def record_to_title(record: Record) -> dict:
    """A TitleInput-shaped payload (keys with values only) plus `record_key` and,
    if the record has any, its `holdings` (see _holdings)."""
    title = _clean(_first(record, "245", "a"))
    if not title:
        raise MarcError("The record has no title (245 $a).")
    imprints = _imprints(record)
    found = {
        "material_type": _material_type(record),
        "title": title,
        "subtitle": _clean(_first(record, "245", "b")),
        "authors": _authors(record),
        "subjects": _subjects(record),
        "publisher": _clean(_first_in(imprints, "b")),
        "year": _year(record, imprints),
        "language": _language(record),
        "isbn": _isbn(record),
        "issn": _issn(record),
        "call_number": _call_number(record),
        "description": "\n\n".join(_all(record, "520", "a")).strip(),
        "access_url": _first_in(sorted(record.get_fields("856"), key=_not_the_resource), "u"),
        "acquisition_ref": _acquisition_ref(record),
        "holdings": _holdings(record),
    }
    data = {k: v for k, v in found.items() if v or k in ("authors", "subjects")}
    data["record_key"] = _record_key(record, data)
    return data


def _first_in(fields: Iterable[Field], code: str) -> str | None:
    for field in fields:
        for value in field.get_subfields(code):
            if value.strip():
                return value.strip()
    return None


def _first(record: Record, tag: str, code: str) -> str | None:
    return _first_in(record.get_fields(tag), code)


def _all(record: Record, tag: str, code: str) -> list[str]:
    return [v.strip() for f in record.get_fields(tag) for v in f.get_subfields(code) if v.strip()]


def _control(record: Record, tag: str) -> str:
    field = record.get(tag)
    return (field.data or "") if field is not None else ""


def _clean(value: str | None) -> str | None:
    return (_TRAILING.sub("", value.strip()) or None) if value else None


def _unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _authors(record: Record) -> list[str]:
    fields = record.get_fields("100", "110", "111") + record.get_fields("700", "710", "711")
    return _unique(_clean(v) for f in fields for v in f.get_subfields("a"))


def _subjects(record: Record) -> list[str]:
    headings = []
    for field in record.get_fields(*_SUBJECT_TAGS):
        parts = [_clean(s.value) for s in field if s.code in "avxyz"]
        headings.append(" -- ".join(p for p in parts if p))
    return _unique(headings)


def _imprints(record: Record) -> list[Field]:
    """264 _1 (publication) before other 264s (production, copyright), then 260."""
    return sorted(record.get_fields("264"), key=lambda f: f.indicator2 != "1") + (
        record.get_fields("260")
    )


def _year(record: Record, imprints: list[Field]) -> int | None:
    for field in imprints:
        for value in field.get_subfields("c"):
            if match := _YEAR.search(value):
                return int(match.group())
    date1 = _control(record, "008")[7:11]  # for records with no imprint date
    return int(date1) if _YEAR.fullmatch(date1) else None


def _language(record: Record) -> str:
    # Before 2001, 041 $a packed several codes into one subfield ("indeng").
    for code in ((_first(record, "041", "a") or "")[:3], _control(record, "008")[35:38]):
        if re.fullmatch(r"[a-z]{3}", code.lower()):
            return code.lower()
    return "ind"


def _isbn(record: Record) -> str | None:
    for value in _all(record, "020", "a"):  # $z holds cancelled or invalid ISBNs
        if match := re.match(r"[0-9Xx][0-9Xx -]*[0-9Xx]", value):
            return re.sub(r"[ -]", "", match.group()).upper()
    return None


def _issn(record: Record) -> str | None:
    value = _first(record, "022", "a")
    match = re.search(r"\d{4}-?\d{3}[\dXx]", value or "")
    return match.group().upper() if match else value


def _call_number(record: Record) -> str | None:
    ddc = _first(record, "082", "a")
    if ddc:  # "/" are prime marks showing where to shorten the number, not part of it
        return ddc.replace("/", "").strip()
    for field in record.get_fields("090", "092"):  # local: class $a + item number $b
        return " ".join(v.strip() for v in field.get_subfields("a", "b")) or None
    return None


# Koha's 952 flags, most telling first: a flag set (not empty, not "0") is the status.
_KOHA_STATUS = (("0", "withdrawn"), ("1", "lost"), ("4", "in_repair"), ("q", "on_loan"))
# Where each holding field keeps its copy's branch.
_BRANCH_CODE = {"852": "b", "952": "a"}


def _holdings(record: Record) -> list[dict]:
    """Each 852 and 952, in field order: {"tag", "copy"} with the copy it describes
    as an ItemInput payload (the importer checks it), or {"tag", "reason"} when it
    lacks what a copy needs: "no barcode ($p)", "no barcode ($p) or branch ($b)"."""
    holdings = []
    for field in record.get_fields("852", "952"):
        copy = _copy(field)
        needed = (("barcode", "p"), ("branch", _BRANCH_CODE[field.tag]))
        missing = [f"{name} (${code})" for name, code in needed if name not in copy]
        if missing:
            holdings.append({"tag": field.tag, "reason": "no " + " or ".join(missing)})
        else:
            holdings.append({"tag": field.tag, "copy": copy})
    return holdings


def _copy(field: Field) -> dict:
    """What a holding field says of a copy (only the values it has)."""
    koha = field.tag == "952"
    flags = [status for code, status in _KOHA_STATUS if _set(field, code)] if koha else []
    copy = {
        "barcode": _first_in([field], "p"),
        "branch": _first_in([field], _BRANCH_CODE[field.tag]),
        "location": _first_in([field], "c"),
        "status": flags[0] if flags else None,  # None: available
        "note": _first_in([field], "z"),
    }
    return {k: v for k, v in copy.items() if v}


def _set(field: Field, code: str) -> bool:
    return any(v.strip() not in ("", "0") for v in field.get_subfields(code))


def _not_the_resource(field: Field) -> bool:
    return field.indicator2 != "0"  # 856 x0 links the resource itself


def _acquisition_ref(record: Record) -> str | None:
    ours = [f for f in record.get_fields("590") if ORG_CODE in f.get_subfields("5")]
    return _first_in(ours, "a")


def _material_type(record: Record) -> str:
    kind, level = record.leader[6], record.leader[7]
    serial_type = _control(record, "008")[21:22]
    if level == "i" or (level == "s" and serial_type == "d"):  # integrating / updating db
        return "database"
    if level == "s":
        return "magazine" if _mentions(_genre_texts(record), _MAGAZINE_WORDS) else "journal"
    if kind in "gij":  # projected medium, non-musical and musical sound recordings
        return "audiovisual"
    if kind == "m" or _is_electronic(record):
        return "ebook"
    return "book"


def _genre_texts(record: Record) -> list[str]:
    return _all(record, "655", "a") + _all(record, "245", "h") + _all(record, "380", "a")


def _link_texts(record: Record) -> list[str]:
    # 856 _1 (a version) and _2 (related, e.g. a table of contents) describe other things.
    links = [f for f in record.get_fields("856") if f.indicator2 not in "12"]
    return _all(record, "245", "h") + [v for f in links for v in f.get_subfields("3", "y", "z")]


def _mentions(texts: list[str], words: tuple[str, ...]) -> bool:
    return any(word in text.lower() for text in texts for word in words)


def _is_electronic(record: Record) -> bool:
    form_of_item = _control(record, "008")[23:24] if record.leader[6] in "at" else ""
    return (
        form_of_item in ("o", "q", "s")
        or any((f.data or "").startswith("cr") for f in record.get_fields("007"))
        or _mentions(_link_texts(record), _EBOOK_WORDS)
    )


def own_title_id(record_key: str) -> str | None:
    """The title id a record names if this catalogue wrote it (003 our code, 001 the id)."""
    code, _, control = record_key.partition(":")
    return control if code == ORG_CODE else None


def _record_key(record: Record, title: dict) -> str:
    control = _control(record, "001").strip()
    if control:
        return f"{_control(record, '003').strip()}:{control}"

    def norm(text: str) -> str:
        return " ".join(text.casefold().split())

    basis = "|".join(
        [
            norm(title["title"]),
            ";".join(norm(a) for a in title["authors"]),
            str(title.get("year", "")),
            title.get("isbn", ""),
        ]
    )
    return "sha1:" + hashlib.sha1(basis.encode()).hexdigest()


# --- writing ---------------------------------------------------------------------------


def title_to_record(title: dict) -> Record:
    """A UTF-8 MARC21 bibliographic record for a title (TitleInput or TitleOutput)."""
    kind = title.get("material_type") or "book"
    record = Record(leader=_leader(title, kind), force_utf8=True)
    if title.get("id"):
        record.add_field(Field("001", data=title["id"]))
    record.add_field(
        Field("003", data=ORG_CODE),
        Field("005", data=_when(title.get("updated_at")).strftime("%Y%m%d%H%M%S.0")),
    )
    if kind == "ebook":  # computer-file aspects: online (o) document (d)
        record.add_field(Field("006", data="m     o  d        "))
    if kind in ELECTRONIC:  # electronic resource, remote
        record.add_field(Field("007", data="cr |||||||||||"))
    record.add_field(Field("008", data=_fixed_008(title, kind)))
    record.add_field(*_data_fields(title, kind))
    return record


def _leader(title: dict, kind: str) -> str:
    status = "d" if title.get("withdrawn") else "c" if (title.get("version") or 1) > 1 else "n"
    # a = UTF-8; 7 = minimal level; i = ISBD punctuation included
    return f"00000{status}{_LEADER_TYPE[kind]} a22000007i 4500"


def _fixed_008(title: dict, kind: str) -> str:
    year = title.get("year")
    if year is None:
        dates = "nuuuu    "
    elif kind in _CONTINUING:
        dates = f"c{int(year):04d}9999"  # currently published, from year
    else:
        dates = f"s{int(year):04d}    "
    specific = ["|"] * 17  # 008/18-34 depend on the material; | = not coded
    if kind in _CONTINUING:
        specific[21 - 18] = "d" if kind == "database" else "p"  # updating db / periodical
    if kind in ELECTRONIC:
        specific[23 - 18] = "o"  # form of item: online
    entered = _when(title.get("created_at")).strftime("%y%m%d")
    language = title.get("language") or "ind"
    return f"{entered}{dates}xx {''.join(specific)}{language} d"  # xx = place unknown


def _when(value) -> datetime:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    return value or datetime.now(UTC)


def _field(tag: str, indicators: str, *subfields: tuple[str, object]) -> Field | None:
    subs = [Subfield(code, str(value)) for code, value in subfields if value]
    return Field(tag, Indicators(*indicators), subs) if subs else None


def _data_fields(title: dict, kind: str) -> list[Field]:
    authors = title.get("authors") or []
    subtitle, year, ref = title.get("subtitle"), title.get("year"), title.get("acquisition_ref")
    fields = [
        _field("020", "  ", ("a", title.get("isbn"))),
        _field("022", "  ", ("a", title.get("issn"))),
        _field("041", "0 ", ("a", title.get("language") or "ind")),
        _field("082", "04", ("a", title.get("call_number"))),
        _name("100", authors[0]) if authors else None,
        _field(
            "245",
            "10" if authors else "00",
            ("a", title["title"] + (" :" if subtitle else "")),
            ("b", subtitle),
        ),
        _field("264", " 1", ("b", _join(title.get("publisher"), year)), ("c", year)),
        _field("520", "  ", ("a", title.get("description"))),
        _field("590", "  ", ("a", ref), ("5", ORG_CODE)) if ref else None,
        *(_subject(s) for s in title.get("subjects") or []),
        _field("655", " 4", ("a", "Magazines" if kind == "magazine" else None)),
        *(_name("700", name) for name in authors[1:]),
        _field("856", "40", ("u", title.get("access_url"))),
        *(_holding(copy) for copy in title.get("copies") or []),
    ]
    return [f for f in fields if f is not None]


def _holding(copy: dict) -> Field:
    return _field(
        "852",
        "  ",
        ("a", ORG_CODE),
        ("b", copy["branch"]),
        ("c", copy.get("location")),
        ("p", copy["barcode"]),
        ("z", copy.get("note")),
    )


def _join(publisher: str | None, year: object) -> str | None:
    return f"{publisher}," if publisher and year else publisher


def _name(tag: str, name: str) -> Field:
    # Indonesian names are often one or more given names, no surname: only an
    # inverted "Surname, Forename" gets first indicator 1.
    return _field(tag, "1 " if "," in name else "0 ", ("a", name))


def _subject(heading: str) -> Field:
    main, *subdivisions = heading.split(" -- ")
    return _field("650", " 4", ("a", main), *(("x", s) for s in subdivisions))


def titles_to_marc21(titles: Iterable[dict]) -> bytes:
    """Binary MARC21 (ISO 2709), UTF-8, records one after another."""
    return b"".join(title_to_record(t).as_marc() for t in titles)


def titles_to_marcxml(titles: Iterable[dict]) -> bytes:
    """A MARCXML <collection> document, UTF-8, with its XML declaration."""
    root = ET.Element("collection", {"xmlns": MARC_XML_NS})
    root.extend(record_to_xml_node(title_to_record(t)) for t in titles)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def title_to_marcxml_record(title: dict) -> bytes:
    """One <record xmlns="http://www.loc.gov/MARC21/slim">, UTF-8 without a declaration,
    for embedding (an OAI-PMH <metadata>)."""
    node = record_to_xml_node(title_to_record(title), namespace=True)
    # pymarc's record_to_xml gives ASCII with character references; we want UTF-8.
    return ET.tostring(node, encoding="unicode").encode()


# --- reading files ---------------------------------------------------------------------


def read_records(data: bytes) -> Iterator[tuple[int, Record | None, str | None]]:
    """(position from 1, record, None) per good record and (position, None, reason)
    per bad one, in MARCXML or binary MARC21; a bad record never stops the rest."""
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")  # BOM, blank lines
    return _xml_records(body) if body.startswith(b"<") else _binary_records(data)


def read_titles(data: bytes) -> Iterator[tuple[int, dict | None, str | None]]:
    """read_records, then record_to_title: a record without a title is a bad one."""
    for position, record, reason in read_records(data):
        if record is None:
            yield position, None, reason
            continue
        try:
            yield position, record_to_title(record), None
        except MarcError as exc:
            yield position, None, str(exc)


def _binary_records(data: bytes) -> Iterator[tuple[int, Record | None, str | None]]:
    # Split on the terminator ourselves: pymarc's MARCReader trusts each leader's
    # length, so one wrong length throws every later record out of step.
    *chunks, tail = data.split(END_OF_RECORD)
    position = 0
    for chunk in chunks:
        chunk = chunk.lstrip()  # some exporters put line breaks between records
        if not chunk:
            continue
        position += 1
        try:
            yield position, _parse_binary(chunk + END_OF_RECORD), None
        except Exception as exc:  # pymarc raises many kinds; each means this record only
            yield position, None, str(exc) or type(exc).__name__
    if tail.strip():
        yield position + 1, None, "Truncated: the data ends inside a record (no 0x1D)."


def _parse_binary(raw: bytes) -> Record:
    _check_structure(raw)
    # Leader/09 'a' means UTF-8, blank MARC-8; but many exporters write UTF-8 and
    # leave it blank. Valid non-ASCII UTF-8 is all but impossible by chance in MARC-8.
    utf8 = raw[9:10] == b"a" or (not raw.isascii() and _decodes(raw))
    return Record(raw, to_unicode=True, force_utf8=utf8)


def _decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _check_structure(raw: bytes) -> None:
    """pymarc slices fields by the directory without checking it; check it here so a
    corrupt record is reported, not read as garbage."""
    if len(raw) < 25 or not raw[:5].isdigit():
        raise MarcError("The record length (leader/00-04) is not a number.")
    if int(raw[:5]) != len(raw):
        raise MarcError(f"The leader gives {int(raw[:5])} bytes; the record has {len(raw)}.")
    base = int(raw[12:17]) if raw[12:17].isdigit() else 0
    if not 24 < base < len(raw) or raw[base - 1] != END_OF_FIELD or (base - 25) % 12:
        raise MarcError("The directory is damaged (base address, leader/12-16, is wrong).")
    for start in range(24, base - 1, 12):
        entry = raw[start : start + 12]
        end = base + int(entry[7:]) + int(entry[3:7]) if entry[3:].isdigit() else 0
        if not base < end < len(raw) or raw[end - 1] != END_OF_FIELD:
            raise MarcError(f"The directory entry {entry!r} does not point at a field.")


def _xml_records(data: bytes) -> Iterator[tuple[int, Record | None, str | None]]:
    position = 0
    try:
        # Only MARC <record>s: an OAI-PMH response wraps each in its own <record>.
        for _, element in ET.iterparse(io.BytesIO(data)):
            if element.tag not in _RECORD_TAGS:
                continue
            position += 1
            try:
                yield position, _element_to_record(element), None
            except Exception as exc:  # pymarc raises many kinds; each means this record only
                yield position, None, str(exc) or type(exc).__name__
            element.clear()
    except ET.ParseError as exc:  # nothing after malformed XML can be trusted
        yield position + 1, None, f"The XML is not well-formed: {exc}."


def _element_to_record(element: ET.Element) -> Record:
    record = Record()
    for child in element:
        kind = _local(child.tag)
        if kind == "leader":
            record.leader = Leader(child.text or "")  # raises unless 24 characters
        elif kind == "controlfield":
            record.add_field(Field(_tag(child), data=child.text or ""))
        elif kind == "datafield":
            indicators = Indicators(child.get("ind1") or " ", child.get("ind2") or " ")
            subfields = [
                Subfield(sub.get("code") or " ", sub.text or "")
                for sub in child
                if _local(sub.tag) == "subfield"
            ]
            record.add_field(Field(_tag(child), indicators, subfields))
    if not record.fields:
        raise MarcError("The record has no fields.")
    return record


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _tag(element: ET.Element) -> str:
    tag = element.get("tag") or ""
    if not re.fullmatch(r"[0-9A-Za-z]{3}", tag):
        raise MarcError(f"A field has no valid tag ({tag!r}).")
    return tag
