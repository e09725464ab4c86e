"""The catalogue's public contract: its RPC methods with what they take and give and
the errors they may answer, the events it publishes (each with its schema and major
version), and the events of others it reads. This module is all that the gateway and
other services may import of the catalogue; the gateway documents its routes from it.
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from chassis.contract import Consumes, Contract, Event, Method
from chassis.errors import Conflict, Forbidden, NotFound
from chassis.ids import PublicId
from chassis.schemas import Input, page_of, paged_query

# The public ids of titles (T000042) and acquisitions (ACQ000007): what callers may
# send and cache; any other spelling names no record.
TITLE_ID = PublicId("T", 6)
ACQUISITION_ID = PublicId("ACQ", 6)
MATERIAL_TYPES = ("book", "magazine", "journal", "ebook", "database", "audiovisual")
ELECTRONIC = ("ebook", "database")
ITEM_STATUSES = ("available", "on_loan", "in_repair", "lost", "withdrawn")
ACQUISITION_STATUSES = ("on_order", "received")
LIMIT_DEFAULT = 20
LIMIT_MAX = 100
Paged = paged_query(default=LIMIT_DEFAULT, ceiling=LIMIT_MAX)  # its lists' base query

CODE = re.compile(r"[A-Z0-9]{2,10}\Z")  # of a branch or a location; \Z, as $ lets "\n" in
BARCODE = re.compile(r"[A-Za-z0-9-]{4,32}\Z")
LANGUAGE = re.compile(r"[a-z]{3}\Z")  # ISO 639-2
_code = validate.Regexp(CODE, error="Use 2-10 capital letters or digits.")
_language = validate.Regexp(LANGUAGE, error="Use a three-letter ISO 639-2 code.")


class BranchInput(Input):
    code = fields.String(required=True, validate=_code, metadata={"example": "KMN"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(allow_none=True, validate=validate.Length(max=500))


class LocationInput(Input):
    code = fields.String(required=True, validate=_code, metadata={"example": "REF"})
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))


class LocationOutput(Schema):
    code = fields.String()
    name = fields.String()


class BranchOutput(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    address = fields.String(allow_none=True)
    locations = fields.List(fields.Nested(LocationOutput))


class BranchList(Schema):
    items = fields.List(fields.Nested(BranchOutput))


class TitleInput(Input):
    """A title, as a branch or cataloguer sends it (whole, for create and update)."""

    material_type = fields.String(load_default="book", validate=validate.OneOf(MATERIAL_TYPES))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    subtitle = fields.String(allow_none=True, validate=validate.Length(max=500))
    authors = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), load_default=list
    )
    subjects = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)), load_default=list
    )
    publisher = fields.String(allow_none=True, validate=validate.Length(max=300))
    year = fields.Integer(allow_none=True, validate=validate.Range(min=1000, max=2100))
    language = fields.String(load_default="ind", validate=_language)
    isbn = fields.String(allow_none=True, metadata={"description": "ISBN-10 or -13; stored as 13"})
    issn = fields.String(allow_none=True)
    call_number = fields.String(
        allow_none=True, validate=validate.Length(max=50), metadata={"description": "DDC"}
    )
    description = fields.String(allow_none=True, validate=validate.Length(max=10000))
    access_url = fields.Url(allow_none=True, schemes={"http", "https"})
    acquisition_ref = fields.String(
        allow_none=True,
        validate=validate.Length(max=50),
        metadata={"description": "The acquisition this title fulfils, e.g. ACQ000007"},
    )

    @validates_schema
    def electronic_needs_url(self, data, **_):
        if data.get("material_type") in ELECTRONIC and not data.get("access_url"):
            raise ValidationError(
                "An e-book or database needs an access_url.", field_name="access_url"
            )


class Availability(Schema):
    branch = fields.String()
    available = fields.Integer()
    total = fields.Integer()


class TitleOutput(Schema):
    id = fields.String(required=True, metadata={"example": "T000042"})
    material_type = fields.String(required=True)
    title = fields.String(required=True)
    subtitle = fields.String(allow_none=True)
    authors = fields.List(fields.String())
    subjects = fields.List(fields.String())
    publisher = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    language = fields.String()
    isbn = fields.String(allow_none=True)
    issn = fields.String(allow_none=True)
    call_number = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    access_url = fields.String(allow_none=True)
    acquisition_ref = fields.String(allow_none=True)
    availability = fields.List(fields.Nested(Availability))
    withdrawn = fields.Boolean()
    created_at = fields.DateTime(format="iso")
    updated_at = fields.DateTime(format="iso")
    version = fields.Integer()


class ItemInput(Input):
    barcode = fields.String(
        required=True,
        validate=validate.Regexp(BARCODE, error="4-32 letters, digits or '-'."),
    )
    branch = fields.String(required=True, validate=_code)
    location = fields.String(allow_none=True, validate=_code)
    status = fields.String(load_default="available", validate=validate.OneOf(ITEM_STATUSES))
    note = fields.String(allow_none=True, validate=validate.Length(max=500))


class ItemStatusInput(Input):
    status = fields.String(required=True, validate=validate.OneOf(ITEM_STATUSES))
    note = fields.String(allow_none=True, validate=validate.Length(max=500))


class ItemOutput(Schema):
    barcode = fields.String()
    title_id = fields.String()
    branch = fields.String()
    location = fields.String(allow_none=True)
    status = fields.String()
    note = fields.String(allow_none=True)
    updated_at = fields.DateTime(format="iso")
    # Added within v1 (additive): absent from events published before it.
    created_at = fields.DateTime(format="iso", metadata={"description": "when it was added"})


class ItemQuery(Paged):
    """Copies in the order of their barcodes: what a rebuild of insight's read model
    of copies reads, a page at a time."""

    branch = fields.String(validate=_code)
    status = fields.String(validate=validate.OneOf(ITEM_STATUSES))


ItemPage = page_of(ItemOutput)


class ItemAdded(ItemOutput):
    title_id = fields.String(required=True)
    branch = fields.String(required=True)
    acquisition_ref = fields.String(
        allow_none=True,
        metadata={"description": "the acquisition its title was catalogued for, if any"},
    )


class ItemStatusChanged(ItemOutput):
    previous_status = fields.String()


class TitleQuery(Paged):
    """Search: words in q match title, authors, subjects and description, with
    Indonesian stemming; the other fields filter."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    type = fields.String(validate=validate.OneOf(MATERIAL_TYPES))
    language = fields.String(validate=_language)
    subject = fields.String(validate=validate.Length(max=200))
    available_at = fields.String(
        validate=_code, metadata={"description": "Branch code with an available copy"}
    )
    year_from = fields.Integer(validate=validate.Range(min=0, max=2100))
    year_to = fields.Integer(validate=validate.Range(min=0, max=2100))
    facets = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also count the matches by type, language, branch with an "
            "available copy, decade and the most used subjects"
        },
    )


class PublicCopy(Schema):
    """A copy as the public sees it: where it is and whether it is on the shelf (no
    barcode, no staff note)."""

    branch = fields.String(metadata={"example": "KMN"})
    branch_name = fields.String()
    location = fields.String(allow_none=True)
    location_name = fields.String(allow_none=True)
    status = fields.String()


class PublicTitle(TitleOutput):
    """A title for its public page: no staff-only field, its copies one by one."""

    class Meta:
        exclude = ("acquisition_ref",)

    copies = fields.List(fields.Nested(PublicCopy))


class ArrivalsQuery(Input):
    branch = fields.String(validate=_code, metadata={"description": "one branch's arrivals"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class Arrival(PublicTitle):
    """A title whose copy came in: when its newest did (at the branch asked for)."""

    class Meta:
        exclude = ("acquisition_ref", "copies")

    arrived_at = fields.DateTime(format="iso")


class Arrivals(Schema):
    items = fields.List(fields.Nested(Arrival))


CITATION_FORMATS = ("ris", "bibtex")


class FacetCount(Schema):
    value = fields.String()
    count = fields.Integer()


TitlePage = page_of(
    TitleOutput,
    total=fields.Integer(required=True, metadata={"description": "Exact count of matches."}),
    facets=fields.Dict(
        keys=fields.String(), values=fields.List(fields.Nested(FacetCount)), allow_none=True
    ),
)


class AcquisitionOutput(Schema):
    id = fields.String(metadata={"example": "ACQ000007"})
    suggestion_id = fields.String()
    title = fields.String()
    authors = fields.List(fields.String())
    isbn = fields.String(allow_none=True)
    branch = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "on_order or received"})
    title_id = fields.String(allow_none=True)
    # Added within v1 (additive): absent from acquisition_ordered published before them.
    ordered_at = fields.DateTime(format="iso")
    received_at = fields.DateTime(
        allow_none=True, format="iso", metadata={"description": "when its title was catalogued"}
    )


class AcquisitionReceived(AcquisitionOutput):
    """The acquisition once its title is catalogued."""

    id = fields.String(required=True, metadata={"example": "ACQ000007"})
    title_id = fields.String(required=True)


class AcquisitionShelved(Schema):
    """A copy of an acquisition's title put at a branch: a suggestion's way to the shelf
    ends there."""

    id = fields.String(
        required=True, metadata={"example": "ACQ000007", "description": "the acquisition"}
    )
    title_id = fields.String(required=True)
    branch = fields.String(required=True)
    barcode = fields.String(required=True)
    shelved_at = fields.DateTime(required=True, format="iso")


class AcquisitionQuery(Paged):
    """A branch's acquisitions, newest first: what its readers' suggestions became, with
    the id a title catalogued for one must cite (acquisition_ref). A branch key sees
    its own branch's; headquarters every branch's, and those wanted at none."""

    branch = fields.String(validate=_code)
    status = fields.String(validate=validate.OneOf(ACQUISITION_STATUSES))


AcquisitionPage = page_of(AcquisitionOutput)


class HarvestQuery(Input):
    """What an OAI-PMH harvest asks of the catalogue: changes in a datestamp window."""

    since = fields.Float(allow_none=True, metadata={"description": "epoch seconds, inclusive"})
    until = fields.Float(allow_none=True, metadata={"description": "epoch seconds, inclusive"})
    set = fields.String(allow_none=True, metadata={"description": "branch:KMN or type:book"})
    after = fields.String(allow_none=True, metadata={"description": "cursor from the last page"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    marc = fields.Boolean(load_default=False, metadata={"description": "include MARCXML"})


class SkippedHolding(Schema):
    """A holding (852, Koha's 952) imported without a copy; its title came in."""

    position = fields.Integer(metadata={"description": "its record's position, from 1"})
    holding = fields.Integer(
        metadata={"description": "its number among its record's holdings, from 1"}
    )
    tag = fields.String(metadata={"example": "852"})
    reason = fields.String(metadata={"example": "no barcode ($p)"})


class ImportResult(Schema):
    added = fields.Integer()
    unchanged = fields.Integer(metadata={"description": "already in the catalogue"})
    failed = fields.List(
        fields.Dict(), metadata={"description": "{position, reason, fields} per bad record"}
    )
    skipped = fields.List(
        fields.Nested(SkippedHolding),
        metadata={"description": "holdings of the added records that are not copies"},
    )


class SuggestionApproved(Schema):
    """What the catalogue reads of feedback's suggestion_approved: a reader's
    suggestion that the library decided to buy (feedback's contract has it whole).
    Programme ideas come the same way; they are the events service's."""

    suggestion_id = fields.String(required=True, validate=validate.Length(min=1, max=50))
    kind = fields.String(load_default="collection", metadata={"description": "or programme"})
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    authors = fields.List(fields.String(), load_default=list)
    isbn = fields.String(allow_none=True)
    branch = fields.String(allow_none=True)


TITLE = ("title_id",)

# Lists insight reads a page at a time to rebuild its read models (services/insight).
BACKFILLED = ("gateway", "insight")

CONTRACT = Contract(
    service="catalog",
    methods=(
        Method(
            "create_title",
            ("payload",),
            TitleInput,
            TitleOutput,
            (Forbidden, Conflict),
            writes=True,
        ),
        Method(
            "update_title",
            ("title_id", "payload"),
            TitleInput,
            TitleOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method("withdraw_title", TITLE, None, TitleOutput, (Forbidden, NotFound), writes=True),
        Method("get_title", TITLE, None, TitleOutput, (NotFound,)),
        Method("search_titles", ("params",), TitleQuery, TitlePage, callers=BACKFILLED),
        # The public catalogue's: a title without staff-only fields, with its copies;
        # the newest arrivals; a title as a citation (RIS or BibTeX text).
        Method("public_title", TITLE, None, PublicTitle, (NotFound,)),
        Method("new_arrivals", ("params",), ArrivalsQuery, Arrivals),
        Method("cite_title", ("title_id", "format"), None, None, (NotFound,)),
        Method(
            "add_item",
            ("title_id", "payload"),
            ItemInput,
            ItemOutput,
            (Forbidden, NotFound, Conflict),
            writes=True,
        ),
        Method(
            "change_item_status",
            ("barcode", "payload"),
            ItemStatusInput,
            ItemOutput,
            (Forbidden, NotFound),
            writes=True,
        ),
        Method("get_item", ("barcode",), None, ItemOutput, (NotFound,)),
        Method("list_items", ("params",), ItemQuery, ItemPage, (Forbidden,), callers=("insight",)),
        Method("put_branch", ("payload",), BranchInput, BranchOutput, (Forbidden,), writes=True),
        Method(
            "put_location",
            ("branch_code", "payload"),
            LocationInput,
            BranchOutput,
            (Forbidden, NotFound),
            writes=True,
        ),
        Method("list_branches", (), None, BranchList, callers=BACKFILLED),
        Method("list_acquisitions", ("params",), AcquisitionQuery, AcquisitionPage, (Forbidden,)),
        # OAI-PMH 2.0: a request's arguments ({name: [values]}) and the endpoint's URL,
        # answered as the protocol's XML (oai_pmh.py).
        Method("oai", ("args", "base_url")),
        # SRU 1.2 (searchRetrieve, explain) the same way: sru.py.
        Method("sru", ("args", "base_url")),
        Method(
            "import_marc",
            ("data_base64",),
            None,
            ImportResult,
            (Forbidden,),
            writes=True,
            deadline=600.0,
        ),
        Method("export_title_marcxml", TITLE, None, None, (NotFound,)),
        Method("export_search_marcxml", ("params",), TitleQuery, None, (), deadline=60.0),
        Method("health"),
    ),
    events=(
        Event("title_created", TitleOutput),
        Event("title_updated", TitleOutput),
        Event("title_withdrawn", TitleOutput),
        Event("item_added", ItemAdded),
        Event("item_status_changed", ItemStatusChanged),
        Event("acquisition_ordered", AcquisitionOutput),
        # An acquisition's own events, so that what follows acquisitions (feedback)
        # need not read every title and copy the catalogue makes.
        Event("acquisition_received", AcquisitionReceived),
        Event("acquisition_shelved", AcquisitionShelved),
        Event("branch_updated", BranchOutput),
    ),
    consumes=(Consumes("feedback", "suggestion_approved", SuggestionApproved, versions=(1,)),),
)
