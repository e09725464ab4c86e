"""The certificate check a QR code opens: /verify/<code>. It says whether the
certificate is valid or revoked (when, and why), for whom (the name only), for which
programme, on which dates and for how many learning hours (JP)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from chassis.errors import DomainError, NotFound
from gateway.web.shell.i18n import translator
from gateway.web.shell.render import common, message, page


def verification_page(request, code: str, verify) -> Response:
    """`verify(code)`: the people service's answer (a Verification), or its error."""
    context = common(request)
    _ = translator(context["lang"])
    try:
        certificate = verify(code)
    except NotFound:
        note = _("There is no certificate with the code %(code)s. Check the code again.", code=code)
        return message(context, 404, _("Certificate not found"), note)
    except DomainError as exc:  # the service or the broker is away: a page, not JSON
        status = 504 if exc.code == "DEADLINE_EXCEEDED" else 503
        note = _("Certificates cannot be checked right now. Please try again later.")
        return message(context, status, _("The service is unavailable"), note)
    return page("people/certificate.html", certificate=certificate, **context)
