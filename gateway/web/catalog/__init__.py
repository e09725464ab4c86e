"""The catalogue's slice of the web app: what does more than forward a call. Its
cached records, MARC uploads, OAI-PMH and SRU for harvesters and partners, and
the public catalogue's pages and feeds (routes.py)."""

from services.catalog.contract import ITEM_STATUSES, MATERIAL_TYPES

from .oai import OaiRoutes
from .records import CatalogRecords
from .routes import CataloguePages
from .sru import SruRoutes
from .uploads import CatalogUploads

WEB = (CatalogRecords, CatalogUploads, OaiRoutes, SruRoutes, CataloguePages)
# The contract's values the pages label, by message context: each needs a
# translation in every catalogue (gateway/web/catalogues.py checks).
VOCABULARY = {"material_type": MATERIAL_TYPES, "item_status": ITEM_STATUSES}
