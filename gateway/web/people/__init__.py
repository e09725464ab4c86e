"""The people slice of the web app: what does more than forward a call. The
certificate check and its cache (certificates.py), files in and out (files.py),
and the certificate check's page for people (routes.py: /verify/<code>)."""

from services.people.contract import PROGRAMME_KINDS

from .certificates import Certificates
from .files import PeopleFiles
from .routes import PeoplePages

WEB = (Certificates, PeopleFiles, PeoplePages)
# The contract's values the page labels, by message context (gateway/web/catalogues.py).
VOCABULARY = {"programme_kind": PROGRAMME_KINDS}
