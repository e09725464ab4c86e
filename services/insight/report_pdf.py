"""The year's report as a PDF (A4 portrait), for headquarters to file and print: the
literacy index (IPLM) with its elements, the KTAK data per branch, the year's
activity per branch (training hours, programmes' attendance, new titles, copies
added, visits), its staff development (competency gaps closed, staff at their
position's required levels) and its LibQUAL+ adequacy gap per dimension.

fpdf2's built-in Helvetica, as the people part's certificates: no font file; it
covers Latin-1, which Indonesian is written in (any other character prints as "?").
The same figures give the same bytes (no time of making is written)."""

from __future__ import annotations

import datetime as dt
import math

from fpdf import FPDF

from .contract import LIBQUAL_DIMENSIONS

LIBRARY = "Perpustakaan Kota Sungai Penuh"
# The LibQUAL+ dimensions' names in Indonesian, as the dashboard's catalogue has them.
DIMENSIONS = dict(
    zip(
        LIBQUAL_DIMENSIONS,
        ("Pengaruh layanan", "Kontrol informasi", "Perpustakaan sebagai tempat"),
        strict=True,
    )
)


def _latin(text) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


# Indonesian writes 12.345,67: the thousands with a point, the decimals after a comma.
_INDONESIAN = str.maketrans({",": ".", ".": ","})


def _number(value) -> str:
    """A figure as Indonesian writes it, never in scientific notation: a fraction below
    1 with its first three significant digits (0,000619), others with two decimals."""
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        places = 2 if abs(value) >= 1 else 2 - math.floor(math.log10(abs(value)))
        return f"{value:,.{places}f}".translate(_INDONESIAN)
    return f"{int(value):,}".translate(_INDONESIAN)


def _bars(pdf: FPDF, title: str, rows: list[tuple[str, float | None]]) -> None:
    """A horizontal bar per row (its label, its bar, its figure), drawn with the PDF's
    own lines: the dashboard's chart of the same figures, on paper. Kept on one page
    (a bar drawn apart from its label would name the wrong branch)."""
    if pdf.get_y() + 7 + 6 * len(rows) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 7, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    label, room = 62, 100  # mm: the labels' column, the longest bar
    top = max((v for _, v in rows if v), default=0)
    for name, value in rows:
        y = pdf.get_y()
        pdf.cell(label, 6, _latin(name))
        length = room * value / top if top and value else 0
        if length:
            with pdf.local_context(fill_color=(15, 76, 129)):  # the pages' blue, here only
                pdf.rect(pdf.l_margin + label, y + 1, length, 4, style="F")
        pdf.set_xy(pdf.l_margin + label + length + 2, y)
        pdf.cell(0, 6, _number(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _with_total(rows: list[list]) -> list[list[str]]:
    """`rows` (a name, then figures) as written, and their sums: the city's row."""
    if not rows:
        return rows
    columns = list(zip(*(r[1:] for r in rows), strict=True))
    known = [[v for v in c if v is not None] for c in columns]
    total = ["Jumlah", *(sum(k) if k else None for k in known)]
    return [[name, *map(_number, figures)] for name, *figures in [*rows, total]]


def _table(pdf: FPDF, header: list[str], rows: list[list], widths: tuple) -> None:
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=6) as table:
        table.row([_latin(h) for h in header])
        for row in rows:
            table.row([_latin(cell) for cell in row])
    pdf.ln(4)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 9, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)


def render_pdf(year: int, literacy: dict, census: list, activity: list) -> bytes:
    """`literacy`: the Iplm answer; `census`: KTAK rows with the branch's name;
    `activity`: a row per branch (name, jp, attendance, new_titles, copies_added,
    visits, gaps_closed, at_level, gaps: {dimension: gap}, libqual_responses)."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_title(_latin(f"Laporan Tahunan {year}"))
    pdf.set_author(LIBRARY)
    pdf.set_creation_date(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # same data, same bytes
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, f"LAPORAN TAHUNAN {year}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 12)
    pdf.cell(0, 8, _latin(LIBRARY), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    _heading(pdf, "Indeks Pembangunan Literasi Masyarakat (IPLM)")
    index = literacy["index"]
    summary = (
        f"Indeks {_number(index)} ({literacy['category']})"
        if index is not None
        else "Indeks belum dapat dihitung: ada unsur yang belum lengkap."
    )
    pdf.multi_cell(
        0,
        6,
        _latin(f"{summary}. Metode: Pedoman Pengukuran IPLM 2021 (Perpusnas); nilai standar "
               "dan jumlah penduduk dari pengaturan platform."),
        new_x="LMARGIN",
        new_y="NEXT",
    )  # fmt: skip
    pdf.ln(2)
    _table(
        pdf,
        ["Unsur", "Nama", "Nilai", "Basis", "Rasio", "Standar", "Skor"],
        [
            [e["code"], e["name"], *(_number(e[k]) for k in ("value", "base", "ratio")),
             _number(e["standard"]), _number(e["score"])]
            for e in literacy["elements"]
        ],
        (14, 62, 22, 22, 22, 22, 16),
    )  # fmt: skip

    _heading(pdf, "Data KTAK per cabang (Koleksi, Tenaga, Anggota, Kunjungan)")
    _table(
        pdf,
        ["Cabang", "Judul", "Eksemplar", "Pustakawan", "Tenaga lain", "Anggota", "Kunjungan"],
        _with_total([
            [r["branch_name"], *(r[k] for k in ("titles", "copies", "staff_librarians",
                                                "staff_other", "members", "visits"))]
            for r in census
        ]),
        (58, 20, 22, 22, 20, 20, 22),
    )  # fmt: skip

    _heading(pdf, f"Kegiatan sepanjang {year} per cabang")
    _table(
        pdf,
        ["Cabang", "Pelatihan (JP)", "Kehadiran kegiatan", "Judul baru", "Eksemplar baru",
         "Kunjungan"],
        _with_total([
            [r["name"], *(r[k] for k in ("jp", "attendance", "new_titles", "copies_added",
                                         "visits"))]
            for r in activity
        ]),
        (56, 24, 28, 24, 28, 26),
    )  # fmt: skip
    _bars(pdf, "Pelatihan pegawai (JP) per cabang", [(r["name"], r["jp"]) for r in activity])
    _bars(pdf, "Kehadiran kegiatan per cabang", [(r["name"], r["attendance"]) for r in activity])
    _bars(pdf, "Kunjungan per cabang", [(r["name"], r["visits"]) for r in activity])

    _heading(pdf, f"Pengembangan pegawai {year}")
    _table(
        pdf,
        ["Cabang", "Kesenjangan kompetensi tertutup",
         "Pegawai pada tingkat yang disyaratkan jabatannya (akhir tahun)"],
        [
            [r["name"], _number(r["gaps_closed"]),
             "-" if r["at_level"] is None else f"{100 * r['at_level']:.1f} %".replace(".", ",")]
            for r in activity
        ],
        (66, 50, 70),
    )  # fmt: skip

    told = {d for r in activity for d in r["gaps"]}
    dimensions = [d for d in LIBQUAL_DIMENSIONS if d in told] + sorted(told - set(DIMENSIONS))
    if dimensions:
        _heading(pdf, f"Mutu layanan {year}: kesenjangan kecukupan LibQUAL+ per dimensi")
        pdf.multi_cell(
            0,
            6,
            _latin("Layanan yang dirasakan dikurangi batas minimum yang diterima pengunjung "
                   "(skala 1-9); di bawah nol, layanan belum mencapai batas minimum."),
            new_x="LMARGIN",
            new_y="NEXT",
        )  # fmt: skip
        pdf.ln(2)
        width = (186 - 56 - 22) / len(dimensions)
        _table(
            pdf,
            ["Cabang", *(DIMENSIONS.get(d, d) for d in dimensions), "Jawaban"],
            [
                [r["name"], *(_gap(r["gaps"].get(d)) for d in dimensions),
                 _number(r["libqual_responses"])]
                for r in activity
            ],
            (56, *(width for _ in dimensions), 22),
        )  # fmt: skip
    return bytes(pdf.output())


def _gap(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}".replace(".", ",")
