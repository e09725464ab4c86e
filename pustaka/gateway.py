"""The gateway's service class: composed from the list of parts (their declared
routes and web slices), so it lives here, at the composition root."""

from gateway.service import compose

from .platform import parts

GatewayService = compose(parts())
