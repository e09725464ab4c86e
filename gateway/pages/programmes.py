"""Community programmes' public pages, for people with phones, with no script: the
calendar (/acara), a programme's page with a registration form per occurrence, the
form's answer (the participant's check-in code and its QR code), and the check-in
page at the door (/pintu, a branch key's), where a librarian enters or scans a code.

They call the events service through its contract (the callables passed in) and
carry no rule of their own; what the service refuses is shown with its reason."""

from __future__ import annotations

import segno
from markupsafe import Markup
from werkzeug.wrappers import Response

from chassis.errors import DomainError, NotFound

from ..edge.errors import ERROR_TABLE
from .render import common, language, page

TYPES = {
    "id": {
        "book_discussion": "Diskusi buku",
        "creative_class": "Kelas kreatif",
        "information_literacy": "Lokakarya literasi informasi",
        "seminar": "Seminar",
        "storytime": "Mendongeng",
        "exhibition": "Pameran",
        "other": "Lainnya",
    },
    "en": {
        "book_discussion": "Book discussion",
        "creative_class": "Creative class",
        "information_literacy": "Information-literacy workshop",
        "seminar": "Seminar",
        "storytime": "Storytime",
        "exhibition": "Exhibition",
        "other": "Other",
    },
}
AUDIENCES = {
    "id": {
        "children": "Anak-anak",
        "teens": "Remaja",
        "adults": "Dewasa",
        "seniors": "Lansia",
        "all_ages": "Semua umur",
    },
    "en": {
        "children": "Children",
        "teens": "Teens",
        "adults": "Adults",
        "seniors": "Seniors",
        "all_ages": "All ages",
    },
}
AGE_GROUPS = {
    "id": {"child": "Anak", "teen": "Remaja", "adult": "Dewasa", "senior": "Lansia"},
    "en": {"child": "Child", "teen": "Teen", "adult": "Adult", "senior": "Senior"},
}
TEXT = {
    "id": {
        "title": "Agenda Kegiatan",
        "library": "Perpustakaan Kota Sungai Penuh",
        "other": "English",
        "branch": "Cabang",
        "audience": "Untuk",
        "type": "Jenis",
        "all": "Semua",
        "filter": "Tampilkan",
        "nothing": "Belum ada kegiatan yang cocok.",
        "seats_left": "kursi tersisa",
        "full": "Penuh, bisa masuk daftar tunggu",
        "cancelled": "Dibatalkan",
        "more": "Berikutnya",
        "where": "Tempat",
        "when": "Waktu",
        "presenter": "Narasumber",
        "register": "Daftar",
        "name": "Nama",
        "contact": "Nomor HP/WhatsApp atau e-mail",
        "age_group": "Kelompok umur",
        "none": "-",
        "scope_one": "Sesi ini saja",
        "scope_series": "Semua sesi berikutnya",
        "registered": "Pendaftaran berhasil",
        "confirmed": "TERDAFTAR",
        "waitlisted": "DAFTAR TUNGGU",
        "position": "Urutan tunggu",
        "code": "Kode hadir",
        "show_code": "Tunjukkan kode atau QR ini kepada petugas di pintu masuk.",
        "your_registration": "Pendaftaran Anda",
        "keep_link": "Simpan tautan ini: di sana status dan urutan tunggu Anda selalu terbaru.",
        "not_found": "Tidak ditemukan",
        "not_found_note": "Tidak ada kegiatan atau kode {code}.",
        "refused": "Pendaftaran tidak dapat diproses",
        "door_refused": "Tidak dapat diproses",
        "unavailable": "Layanan sedang tidak tersedia",
        "unavailable_note": "Silakan coba lagi nanti.",
        "door": "Presensi di Pintu",
        "enter_code": "Masukkan atau pindai kode",
        "look_up": "Cari",
        "let_in": "Catat hadir",
        "checked_in": "HADIR - silakan masuk",
        "already_in": "SUDAH HADIR sebelumnya",
        "walk_in": "PESERTA LANGSUNG (tanpa daftar)",
        "is_confirmed": "TERDAFTAR - belum hadir",
        "is_waitlisted": "DAFTAR TUNGGU - belum mendapat kursi",
        "is_cancelled": "DIBATALKAN",
        "next_code": "Kode berikutnya",
        "back": "Kembali ke agenda",
    },
    "en": {
        "title": "Programme calendar",
        "library": "City Library of Sungai Penuh",
        "other": "Bahasa Indonesia",
        "branch": "Branch",
        "audience": "For",
        "type": "Type",
        "all": "All",
        "filter": "Show",
        "nothing": "No programme matches yet.",
        "seats_left": "seats left",
        "full": "Full, the waitlist is open",
        "cancelled": "Cancelled",
        "more": "Next",
        "where": "Where",
        "when": "When",
        "presenter": "Presenter",
        "register": "Register",
        "name": "Name",
        "contact": "Mobile/WhatsApp number or e-mail",
        "age_group": "Age group",
        "none": "-",
        "scope_one": "This session only",
        "scope_series": "Every session to come",
        "registered": "You are registered",
        "confirmed": "REGISTERED",
        "waitlisted": "WAITLISTED",
        "position": "Place in the waitlist",
        "code": "Check-in code",
        "show_code": "Show this code or QR code at the door.",
        "your_registration": "Your registration",
        "keep_link": "Keep this link: it always shows your status and place in the waitlist.",
        "not_found": "Not found",
        "not_found_note": "There is no programme or code {code}.",
        "refused": "The registration could not be made",
        "door_refused": "This could not be done",
        "unavailable": "The service is unavailable",
        "unavailable_note": "Please try again later.",
        "door": "Check-in at the door",
        "enter_code": "Enter or scan a code",
        "look_up": "Look up",
        "let_in": "Check in",
        "checked_in": "CHECKED IN - welcome",
        "already_in": "ALREADY CHECKED IN",
        "walk_in": "WALK-IN (not registered)",
        "is_confirmed": "REGISTERED - not in yet",
        "is_waitlisted": "WAITLISTED - no seat yet",
        "is_cancelled": "CANCELLED",
        "next_code": "Next code",
        "back": "Back to the calendar",
    },
}
BRANCHES = ("SPN", "PDT", "KMN", "HRW", "PSB")


def _common(request) -> dict:
    lang = language(request)
    return {
        **common(request, TEXT),
        "types": TYPES[lang],
        "audiences": AUDIENCES[lang],
        "age_groups": AGE_GROUPS[lang],
    }


def _failure(exc: DomainError, common: dict, code: str = "") -> Response:
    """What the service refused, as a page with its reason."""
    if isinstance(exc, NotFound):
        return page("events/message.html", 404, heading=common["t"]["not_found"],
                    note=common["t"]["not_found_note"].format(code=code), **common)  # fmt: skip
    status = _status(exc)
    if status in (400, 403, 409, 413, 422, 429):
        fields = exc.details.get("fields", {})
        problems = [f"{k}: {' '.join(map(str, v))}" for k, v in fields.items()] or [exc.message]
        return page("events/message.html", status, heading=common["t"]["refused"],
                    note="", problems=problems, **common)  # fmt: skip
    return page("events/message.html", status, heading=common["t"]["unavailable"],
                note=common["t"]["unavailable_note"], **common)  # fmt: skip


def calendar_page(request, calendar) -> Response:
    common = _common(request)
    wanted = {k: v for k, v in request.args.items() if v and k != "lang"}
    try:
        found = calendar(wanted)
    except DomainError as exc:
        return _failure(exc, common)
    return page(
        "events/calendar.html",
        occurrences=found["items"],
        next_cursor=found["next_cursor"],
        wanted=wanted,
        branches=BRANCHES,
        **common,
    )


def programme_page(request, programme_id: str, get) -> Response:
    common = _common(request)
    try:
        programme = get(programme_id)
    except DomainError as exc:
        return _failure(exc, common, programme_id)
    return page("events/programme.html", form=True, programme=programme, **common)


def _qr(text: str) -> Markup:
    """A QR code as inline SVG: nothing fetched from anywhere."""
    return Markup(segno.make(text, error="m").svg_inline(scale=5, border=2))


def registered_page(request, occurrence_id: str, read_form, register) -> Response:
    """`read_form()`: the form's fields (or the gateway's refusal of the body)."""
    common = _common(request)
    try:
        form = read_form()
    except DomainError as exc:
        return _failure(exc, common, occurrence_id)
    payload = {
        "name": form.get("name", "").strip(),
        "contact": form.get("contact", "").strip(),
        "age_group": form.get("age_group") or None,
        "scope": form.get("scope") or "occurrence",
    }
    try:
        made = register(occurrence_id, payload)
    except DomainError as exc:
        return _failure(exc, common, occurrence_id)
    return _registrations_page(request, made["items"], 201, common["t"]["registered"], common)


def ticket_page(request, code: str, get) -> Response:
    """A registration by its code, for its holder to open again (no name or contact)."""
    common = _common(request)
    try:
        found = get(code)
    except DomainError as exc:
        return _failure(exc, common, code)
    heading = common["t"]["your_registration"]
    return _registrations_page(request, [found], 200, heading, common)


def _registrations_page(request, found: list, status: int, heading: str, common) -> Response:
    """Each registration's state, code and QR (the door page's link with the code)."""
    door = request.host_url.rstrip("/") + "/pintu?code="
    items = [{**r, "qr": _qr(door + r["code"])} for r in found]
    return page("events/registered.html", status, heading=heading, registrations=items, **common)


def door_page(request, lookup) -> Response:
    common = _common(request)
    code = request.args.get("code", "").strip().upper()
    found = None
    if code:
        try:
            found = lookup(code)
        except DomainError as exc:
            return _door_failure(exc, common, code)
    return page("events/door.html", form=True, code=code, found=found, outcome=None, **common)


def checked_in_page(request, read_form, check_in) -> Response:
    common = _common(request)
    code = ""
    try:
        code = read_form().get("code", "").strip().upper()
        answer = check_in(code)
    except DomainError as exc:
        return _door_failure(exc, common, code)
    return page(
        "events/door.html",
        form=True,
        code="",
        found=answer["registration"],
        outcome=answer["outcome"],
        **common,
    )


def _status(exc: DomainError) -> int:
    """The status the gateway's one error table gives the error."""
    for cls in type(exc).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    return 500


def _door_failure(exc: DomainError, common: dict, code: str) -> Response:
    status = _status(exc)
    return page(
        "events/door.html",
        status,
        heading=common["t"]["not_found" if status == 404 else "door_refused"],
        form=True,
        code=code,
        found=None,
        outcome=None,
        problem=exc.message,
        **common,
    )
