"""A sample collection for the branches of Perpustakaan Kota Sungai Penuh, loaded by
`make up` on first run (when the catalogue has no branch yet). It goes through the
same logic as any write, so its events reach subscribers too."""

from __future__ import annotations

from sqlalchemy import select

from chassis.context import SYSTEM
from chassis.db import DatabaseSession

from . import branches, items, titles
from .models import Branch

BRANCHES = [
    ("SPN", "Perpustakaan Kota Sungai Penuh (Pusat)", "Jl. Jenderal Sudirman, Sungai Penuh"),
    ("PDT", "Perpustakaan Cabang Pondok Tinggi", "Kecamatan Pondok Tinggi, Sungai Penuh"),
    ("KMN", "Perpustakaan Cabang Kumun Debai", "Kecamatan Kumun Debai, Sungai Penuh"),
    ("HRW", "Perpustakaan Cabang Hamparan Rawang", "Kecamatan Hamparan Rawang, Sungai Penuh"),
    ("PSB", "Perpustakaan Cabang Pesisir Bukit", "Kecamatan Pesisir Bukit, Sungai Penuh"),
]
LOCATIONS = [("UMUM", "Koleksi umum"), ("REF", "Referensi"), ("ANAK", "Koleksi anak")]

# (fields, copies per branch)
TITLES = [
    (
        {
            "title": "Laskar Pelangi",
            "authors": ["Andrea Hirata"],
            "publisher": "Bentang Pustaka",
            "year": 2005,
            "isbn": "979-3062-79-7",
            "call_number": "899.221 3 HIR l",
            "subjects": ["Novel Indonesia", "Pendidikan"],
            "description": "Sepuluh anak Belitong dan sekolah Muhammadiyah yang hampir ditutup.",
        },
        {"SPN": 3, "KMN": 1, "PDT": 1},
    ),
    (
        {
            "title": "Bumi Manusia",
            "authors": ["Pramoedya Ananta Toer"],
            "publisher": "Hasta Mitra",
            "year": 1980,
            "call_number": "899.221 3 TOE b",
            "subjects": ["Novel sejarah", "Kolonialisme"],
            "description": "Minke, pemuda pribumi, di akhir abad ke-19 Hindia Belanda.",
        },
        {"SPN": 2, "HRW": 1},
    ),
    (
        {
            "title": "Pengantar Ilmu Perpustakaan",
            "authors": ["Sulistyo-Basuki"],
            "publisher": "Gramedia Pustaka Utama",
            "year": 1991,
            "call_number": "020 SUL p",
            "subjects": ["Ilmu perpustakaan", "Kepustakawanan"],
            "description": "Buku dasar tentang perpustakaan, pustakawan dan layanan informasi.",
        },
        {"SPN": 2, "PDT": 1, "PSB": 1},
    ),
    (
        {
            "title": "Manajemen Perpustakaan Umum",
            "authors": ["Tim Pembina Pustakawan"],
            "publisher": "Perpustakaan Nasional RI",
            "year": 2019,
            "call_number": "025.1 MAN",
            "subjects": ["Manajemen perpustakaan", "Perpustakaan umum"],
            "description": "Pengelolaan koleksi, penataan ruang dan layanan pelanggan.",
        },
        {"SPN": 2},
    ),
    (
        {
            "title": "Literasi Informasi untuk Masyarakat",
            "authors": ["Perpustakaan Kota Sungai Penuh"],
            "publisher": "Perpustakaan Kota Sungai Penuh",
            "year": 2024,
            "call_number": "028.7 LIT",
            "subjects": ["Literasi informasi", "Pendidikan masyarakat"],
            "description": "Menemukan, mengevaluasi dan menggunakan informasi.",
        },
        {"SPN": 2, "KMN": 1, "HRW": 1, "PSB": 1, "PDT": 1},
    ),
    (
        {
            "title": "Tambo Alam Kerinci",
            "authors": ["Iskandar Zakaria"],
            "year": 1984,
            "call_number": "959.81 ISK t",
            "subjects": ["Sejarah Kerinci", "Adat istiadat"],
            "description": "Naskah dan tradisi lisan masyarakat adat Kerinci.",
        },
        {"SPN": 1},
    ),
    (
        {
            "title": "Information Literacy: Concepts and Practice",
            "language": "eng",
            "authors": ["Library Association"],
            "year": 2016,
            "call_number": "028.7 INF",
            "subjects": ["Information literacy", "Libraries and community"],
            "description": "How librarians teach the public to find and evaluate information.",
        },
        {"SPN": 1},
    ),
    (
        {
            "title": "Library Management in the Digital Age",
            "language": "eng",
            "authors": ["Evans, G. Edward"],
            "year": 2020,
            "call_number": "025.1 EVA",
            "subjects": ["Library administration", "Digital libraries"],
        },
        {"SPN": 1},
    ),
    (
        {
            "title": "Majalah Tempo",
            "material_type": "magazine",
            "publisher": "Tempo Inti Media",
            "issn": "0126-4273",
            "subjects": ["Berita", "Politik Indonesia"],
        },
        {"SPN": 4, "PDT": 2},
    ),
    (
        {
            "title": "Intisari",
            "material_type": "magazine",
            "publisher": "Kompas Gramedia",
            "subjects": ["Pengetahuan umum"],
        },
        {"SPN": 2, "KMN": 1},
    ),
    (
        {
            "title": "Jurnal Pustakawan Indonesia",
            "material_type": "journal",
            "publisher": "Perpustakaan IPB",
            "subjects": ["Ilmu perpustakaan"],
        },
        {"SPN": 1},
    ),
    (
        {
            "title": "Visi Pustaka: Buletin Perpustakaan Nasional",
            "material_type": "journal",
            "publisher": "Perpustakaan Nasional RI",
            "subjects": ["Ilmu perpustakaan", "Kepustakawanan"],
        },
        {"SPN": 1},
    ),
    (
        {
            "title": "Panduan Teknologi Informasi untuk Pustakawan",
            "material_type": "ebook",
            "access_url": "https://ebook.example.org/tik-pustakawan",
            "year": 2023,
            "subjects": ["Teknologi informasi", "Sistem otomasi perpustakaan"],
            "description": "Pemanfaatan sistem manajemen perpustakaan, database dan media sosial.",
        },
        {},
    ),
    (
        {
            "title": "e-Resources Perpustakaan Nasional",
            "material_type": "database",
            "access_url": "https://e-resources.example.org",
            "language": "mul",
            "subjects": ["Jurnal elektronik", "Basis data daring"],
            "description": "Jurnal, e-book dan basis data daring untuk anggota perpustakaan.",
        },
        {},
    ),
    (
        {
            "title": "Dongeng Nusantara untuk Anak",
            "material_type": "audiovisual",
            "year": 2021,
            "subjects": ["Cerita rakyat", "Bacaan anak"],
            "description": "Rekaman dongeng untuk kegiatan mendongeng di perpustakaan.",
        },
        {"SPN": 1, "KMN": 1},
    ),
]


def load_demo(db: DatabaseSession) -> int:
    """Load the sample collection unless the catalogue has branches; returns titles added."""
    with db.reading() as session:
        if session.scalar(select(Branch.code).limit(1)) is not None:
            return 0
    added = 0
    with db.transaction() as session:
        for code, name, address in BRANCHES:
            branches.put_branch(session, {"code": code, "name": name, "address": address}, SYSTEM)
            for loc_code, loc_name in LOCATIONS:
                branches.put_location(session, code, {"code": loc_code, "name": loc_name}, SYSTEM)
        for n, (fields, copies) in enumerate(TITLES, start=1):
            made = titles.create_title(session, fields, SYSTEM)
            added += 1
            for branch, count in copies.items():
                for k in range(1, count + 1):
                    payload = {
                        "barcode": f"{branch}-{n:04d}-{k}",
                        "branch": branch,
                        "location": "UMUM",
                    }
                    items.add_item(session, made["id"], payload, SYSTEM)
    return added
