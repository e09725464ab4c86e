"""The certificate check a QR code opens: /verify/<code>. It says whether the
certificate is valid or revoked (when, and why), for whom (the name only), for which
programme, on which dates and for how many learning hours (JP)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from chassis.errors import DomainError, NotFound

from .render import language, page

TEXT = {
    "id": {
        "title": "Verifikasi Sertifikat",
        "library": "Perpustakaan Kota Sungai Penuh",
        "valid": "SAH",
        "valid_note": "Sertifikat ini sah dan tercatat di Perpustakaan Kota Sungai Penuh.",
        "revoked": "DICABUT",
        "revoked_note": "Sertifikat ini telah dicabut pada {when}.",
        "reason": "Alasan",
        "holder": "Nama",
        "programme": "Program",
        "kind": "Jenis",
        "dates": "Tanggal",
        "hours": "Jam pelajaran",
        "issued": "Diterbitkan",
        "code": "Kode verifikasi",
        "kinds": {"training": "Pelatihan", "workshop": "Lokakarya", "seminar": "Seminar"},
        "other": "English",
        "not_found": "Sertifikat tidak ditemukan",
        "not_found_note": "Tidak ada sertifikat dengan kode {code}. Periksa kembali kodenya.",
        "unavailable": "Layanan sedang tidak tersedia",
        "unavailable_note": "Pemeriksaan sertifikat tidak dapat dilakukan saat ini. "
        "Silakan coba lagi nanti.",
    },
    "en": {
        "title": "Certificate verification",
        "library": "City Library of Sungai Penuh",
        "valid": "VALID",
        "valid_note": "This certificate is valid and on record at the City Library of "
        "Sungai Penuh.",
        "revoked": "REVOKED",
        "revoked_note": "This certificate was revoked on {when}.",
        "reason": "Reason",
        "holder": "Name",
        "programme": "Programme",
        "kind": "Kind",
        "dates": "Dates",
        "hours": "Learning hours",
        "issued": "Issued",
        "code": "Verification code",
        "kinds": {"training": "Training", "workshop": "Workshop", "seminar": "Seminar"},
        "other": "Bahasa Indonesia",
        "not_found": "Certificate not found",
        "not_found_note": "There is no certificate with the code {code}. Check the code again.",
        "unavailable": "The service is unavailable",
        "unavailable_note": "Certificates cannot be checked right now. Please try again later.",
    },
}


def verification_page(request, code: str, verify) -> Response:
    """`verify(code)`: the people service's answer (a Verification), or its error."""
    lang = language(request)
    text = TEXT[lang]
    other = "en" if lang == "id" else "id"
    common = {"lang": lang, "t": text, "other_lang": other, "path": request.path}
    try:
        certificate = verify(code)
    except NotFound:
        return page("not_found.html", 404, code=code, **common)
    except DomainError as exc:  # the service or the broker is away: a page, not JSON
        status = 504 if exc.code == "DEADLINE_EXCEEDED" else 503
        return page("unavailable.html", status, **common)
    return page("certificate.html", certificate=certificate, **common)
