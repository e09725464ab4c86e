"""A certificate as a one-page PDF (A4 landscape), with a QR code of its public
verification URL: a phone's camera opens the page that says whether it is valid.

fpdf2's built-in Helvetica is used, so the PDF needs no font file; it covers
Latin-1, which Indonesian names and words are written in (any other character
prints as "?")."""

from __future__ import annotations

import datetime as dt
import io

import segno
from fpdf import FPDF

KINDS = {"training": "Pelatihan", "workshop": "Lokakarya (workshop)", "seminar": "Seminar"}
MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()
LIBRARY = "Perpustakaan Kota Sungai Penuh"


def indonesian_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _latin(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def qr_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def render_pdf(certificate: dict, url: str) -> bytes:
    """`certificate`: the Verification shape (holder, topic, kind, days, hours, code)."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_latin(f"Sertifikat {certificate['code']}"))
    pdf.set_author(LIBRARY)
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # same data, same bytes
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font("Helvetica", "B", 14)
    pdf.set_y(22)
    pdf.cell(0, 8, _latin(LIBRARY.upper()), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 30)
    pdf.cell(0, 18, "SERTIFIKAT", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, "diberikan kepada", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 24)
    pdf.cell(0, 16, _latin(certificate["holder"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    kind = KINDS.get(certificate["kind"], certificate["kind"])
    pdf.cell(
        0, 8, f"yang telah menyelesaikan {kind.lower()}", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _latin(certificate["topic"]), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    first, last = certificate["first_day"], certificate["last_day"]
    when = (
        indonesian_date(first)
        if first == last
        else (f"{indonesian_date(first)} - {indonesian_date(last)}")
    )
    pdf.cell(
        0,
        8,
        f"{when}, {certificate['hours']} JP (jam pelajaran)",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.image(io.BytesIO(qr_png(url)), x=30, y=150, w=38, h=38)
    pdf.set_xy(72, 160)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        120,
        6,
        _latin(
            f"Kode verifikasi: {certificate['code']}\n"
            f"Periksa keaslian: {url}\n"
            f"Diterbitkan {indonesian_date(certificate['issued_on'])}"
        ),
    )
    return bytes(pdf.output())
