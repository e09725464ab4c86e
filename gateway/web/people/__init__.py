"""The people slice of the web app: what does more than forward a call."""

from gateway.routes.people import PeopleRoutes

from .certificates import Certificates
from .files import PeopleFiles

WEB = (Certificates, PeopleFiles, PeopleRoutes)
