"""The catalogue's slice of the web app: what does more than forward a call."""

from .oai import OaiRoutes
from .records import CatalogRecords
from .uploads import CatalogUploads

WEB = (CatalogRecords, CatalogUploads, OaiRoutes)
