"""The survey form a respondent's link opens: /s/<token> (an invitation's one-time
token, or a campaign's public link). It renders every question type as plain HTML
controls (no script), posts back to itself, shows the reason next to each question
the service refused while keeping every answer typed so far, and thanks the
respondent. Indonesian first; ?lang=en for English."""

from __future__ import annotations

import re

from werkzeug.wrappers import Response

from chassis.errors import DomainError, Gone, NotFound, ValidationFailed

from .render import common, page

LIBQUAL_PARTS = ("minimum", "desired", "perceived")
REFUSED = {"BAD_REQUEST": 400, "PAYLOAD_TOO_LARGE": 413}
SCALES = {"likert": (1, 5), "rating": (1, 9), "nps": (0, 10), "libqual": (1, 9), "skm": (1, 4)}

TEXT = {
    "id": {
        "title": "Survei",
        "library": "Perpustakaan Kota Sungai Penuh",
        "other": "English",
        "intro": "Terima kasih telah meluangkan waktu. Pertanyaan bertanda * wajib dijawab.",
        "anonymous": "Jawaban Anda anonim: tidak dikaitkan dengan siapa pun.",
        "closes": "Survei ditutup pada",
        "submit": "Kirim jawaban",
        "errors": "Ada jawaban yang perlu diperbaiki. Lihat pesan di bawah pertanyaannya.",
        "thanks": "Terima kasih!",
        "thanks_note": "Jawaban Anda sudah kami terima dan akan membantu kami memperbaiki layanan.",
        "not_found": "Survei tidak ditemukan",
        "not_found_note": "Tautan ini tidak mengarah ke survei mana pun. "
        "Periksa kembali tautannya.",
        "closed": "Survei sudah ditutup",
        "closed_note": "Survei ini tidak lagi menerima jawaban.",
        "not_open": "Survei belum dibuka",
        "not_open_note": "Survei ini belum menerima jawaban. Silakan kembali nanti.",
        "used": "Survei sudah dijawab",
        "used_note": "Tautan ini hanya dapat dipakai sekali, dan sudah dipakai.",
        "refused": "Jawaban tidak dapat dibaca",
        "refused_note": "Formulir yang dikirim terlalu besar atau rusak. Silakan isi kembali.",
        "unavailable": "Layanan sedang tidak tersedia",
        "unavailable_note": "Survei tidak dapat dibuka saat ini. Silakan coba lagi nanti.",
        "parts": {
            "minimum": "Tingkat minimum yang dapat saya terima",
            "desired": "Tingkat yang saya inginkan",
            "perceived": "Tingkat yang saya rasakan",
        },
        "ends": {
            "likert": ("Sangat tidak setuju", "Sangat setuju"),
            "rating": ("Sangat buruk", "Sangat baik"),
            "nps": ("Sangat tidak mungkin", "Sangat mungkin"),
            "libqual": ("Rendah", "Tinggi"),
            "skm": ("Tidak sesuai", "Sangat sesuai"),
        },
        "reasons": [
            (r"An answer is required\.", "Pertanyaan ini wajib dijawab."),
            (r"Must be from (\d+) to (\d+)\.", r"Pilih nilai \1 sampai \2."),
            (r"Give a whole number from (\d+) to (\d+)\.", r"Pilih nilai \1 sampai \2."),
            (r"Give (.+) too\.", "Lengkapi ketiga tingkat: minimum, diinginkan, dan dirasakan."),
            (r"Choose .*", "Pilih dari pilihan yang tersedia."),
            (r"At most (\d+) characters\.", r"Paling banyak \1 karakter."),
        ],
        "reason": "Jawaban ini tidak sesuai.",
    },
    "en": {
        "title": "Survey",
        "library": "City Library of Sungai Penuh",
        "other": "Bahasa Indonesia",
        "intro": "Thank you for your time. Questions marked * must be answered.",
        "anonymous": "Your answers are anonymous: they are linked to no one.",
        "closes": "The survey closes on",
        "submit": "Send my answers",
        "errors": "Some answers need correcting. See the message under each question.",
        "thanks": "Thank you!",
        "thanks_note": "We have your answers; they will help us improve our services.",
        "not_found": "Survey not found",
        "not_found_note": "This link leads to no survey. Check the link again.",
        "closed": "The survey has closed",
        "closed_note": "This survey no longer takes answers.",
        "not_open": "The survey is not open yet",
        "not_open_note": "This survey does not take answers yet. Please come back later.",
        "used": "The survey has been answered",
        "used_note": "This link can be used once, and it has been.",
        "refused": "The answers could not be read",
        "refused_note": "The form sent was too large or damaged. Please fill it in again.",
        "unavailable": "The service is unavailable",
        "unavailable_note": "The survey cannot be opened right now. Please try again later.",
        "parts": {
            "minimum": "The minimum I would accept",
            "desired": "The level I want",
            "perceived": "The level I find",
        },
        "ends": {
            "likert": ("Strongly disagree", "Strongly agree"),
            "rating": ("Very poor", "Very good"),
            "nps": ("Not at all likely", "Extremely likely"),
            "libqual": ("Low", "High"),
            "skm": ("Not suitable", "Very suitable"),
        },
        "reasons": [],
        "reason": "This answer does not fit.",
    },
}


def _common(request) -> dict:
    return common(request, TEXT)


def _message(page_name: str, status: int, common: dict) -> Response:
    t = common["t"]
    return page(
        "survey_message.html", status, heading=t[page_name], note=t[f"{page_name}_note"], **common
    )


def _refusal(exc: DomainError, common: dict) -> Response:
    if isinstance(exc, NotFound):
        return _message("not_found", 404, common)
    if isinstance(exc, Gone):
        return _message("closed", 410, common)
    if exc.code in REFUSED:  # the form itself, refused by the gateway
        return _message("refused", REFUSED[exc.code], common)
    if exc.code == "CONFLICT":
        early = exc.details.get("token") == "not_open"
        return _message("not_open" if early else "used", 409, common)
    status = 504 if exc.code == "DEADLINE_EXCEEDED" else 503
    return _message("unavailable", status, common)


def answers_of(questions: list[dict], form) -> dict:
    """The answers a posted form holds, shaped as the service takes them."""
    answers: dict = {}
    for q in questions:
        qid = q["id"]
        if q["type"] == "libqual":
            answers[qid] = {p: form.get(f"{qid}.{p}") or None for p in LIBQUAL_PARTS}
        elif q["type"] == "multiple":
            answers[qid] = form.getlist(qid)
        else:
            answers[qid] = form.get(qid) or None
    return answers


def _reason(messages: list[str], t: dict) -> str:
    message = messages[0] if messages else ""
    if not t["reasons"]:
        return message or t["reason"]
    for pattern, local in t["reasons"]:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, local, message)
    return t["reason"]


def survey_page(request, token: str, form_of, submit, read_form) -> Response:
    """GET: the form; POST: the answers. `form_of(token)`: the service's SurveyForm;
    `submit(token, payload)`: its answer or error; `read_form(request)`: the posted
    fields (bounded)."""
    common = _common(request)
    try:
        survey = form_of(token)
    except DomainError as exc:
        return _refusal(exc, common)
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        try:
            values = answers_of(survey["template"]["questions"], read_form(request))
            submit(token, {"answers": values})
        except ValidationFailed as exc:
            fields = exc.details.get("fields", {})
            errors = {qid: _reason(m, common["t"]) for qid, m in fields.items()}
            status = 400
        except DomainError as exc:
            return _refusal(exc, common)
        else:
            return _message("thanks", 200, common)
    return page(
        "survey.html",
        status,
        form=True,
        survey=survey,
        questions=survey["template"]["questions"],
        values=values,
        errors=errors,
        scales=SCALES,
        parts=LIBQUAL_PARTS,
        action=f"{request.path}?lang={common['lang']}",
        **common,
    )
