"""The catalogue's HTTP face: reading anyone with a key may do; a branch key writes
its own branch's copies and lists its own acquisitions (the service checks each
against the caller). Titles,
searches and branches are served from the gateway's cache, the MARC upload and
OAI-PMH too are the catalogue's slice of the web app (gateway/web/catalog)."""

from chassis.api import BRANCH_KEYS, Api, get

from .contract import CONTRACT, TITLE_ID

# fmt: off
ROUTES = (
    get("/v1/catalog/items/<barcode>", "get_item", summary="One copy."),
    get("/v1/catalog/titles/<title:title_id>/marcxml", "export_title_marcxml", xml=True,
        name="export_title", summary="One title as MARCXML."),
    get("/v1/catalog/marcxml", "export_search_marcxml", xml=True, name="export_search",
        summary="Every title a search matches, as one MARCXML collection (at most 10,000)."),
    get("/v1/catalog/acquisitions", "list_acquisitions", BRANCH_KEYS,
        summary="Acquisitions, newest first, a page at a time: what readers' suggestions "
                "became, with the id (ACQ...) a title catalogued for one cites as its "
                "acquisition_ref (a branch key: its own branch's)."),
)
# fmt: on

API = Api(CONTRACT, ROUTES, ids={"title": TITLE_ID})
