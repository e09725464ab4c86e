"""Synthetic bibliographic records for the catalogue benchmark: Indonesian and English
words in Zipf-like proportions, with planted terms of known frequency:
  kerinci    in exactly a quarter of the records
  langkaNNN  each in about ten records (rare)
  indonesia  the most common word, in all but a few records (Zipf's head, and half
             of the records have it planted besides)
"""

from __future__ import annotations

import random

WORDS = (
    "indonesia sejarah budaya pendidikan perpustakaan pustakawan masyarakat informasi "
    "teknologi pengetahuan bahasa sastra novel cerita anak remaja keluarga agama islam "
    "ekonomi politik hukum kesehatan pertanian perikanan hutan gunung danau sungai kota "
    "desa adat tradisi seni musik tari kerajinan sains matematika fisika kimia biologi "
    "komputer internet digital jaringan manajemen organisasi kepemimpinan pelayanan "
    "pelatihan pembelajaran membaca menulis literasi penelitian metode kajian analisis "
    "perkembangan pembangunan lingkungan alam geografi peta wisata kuliner resep sumatera "
    "jambi melayu minangkabau nusantara dunia modern klasik kumpulan panduan pengantar dasar "
    "library science history culture education information technology management community "
    "children reading research digital learning services public health economics law art "
    "music nature travel"
).split()
AUTHORS = [
    f"{a} {b}"
    for a in "Andrea Ahmad Siti Budi Dewi Rizki Nur Putri Hendra Yusuf Maria John".split()
    for b in "Hirata Fuadi Rahma Santoso Lestari Pratama Hidayat Siregar Nasution Smith".split()
]
SUBJECTS = [f"{a} {b}" for a in WORDS[:40] for b in ("umum", "Indonesia", "Jambi", "dasar")]
TYPES = ["book"] * 80 + ["magazine"] * 6 + ["journal"] * 6 + ["audiovisual"] * 4 + ["ebook"] * 4
LANGS = ["ind"] * 70 + ["eng"] * 25 + ["min", "jav", "msa", "ara", "nld"]


def _words(rng: random.Random, n: int) -> list[str]:
    # Zipf-like: low indices far more often.
    return [WORDS[min(len(WORDS) - 1, int(rng.paretovariate(1.1)) - 1)] for _ in range(n)]


def record(i: int, rng: random.Random, total: int) -> dict:
    words = _words(rng, rng.randint(3, 7))
    if i % 4 == 0:
        words.insert(rng.randrange(len(words) + 1), "kerinci")
    if rng.random() < 0.5:
        words.append("indonesia")
    rare = f"langka{i % max(1, total // 10):06d}"  # every rare term in ~10 records
    material = rng.choice(TYPES)
    rec = {
        "title": " ".join(words).capitalize(),
        "authors": rng.sample(AUTHORS, rng.randint(1, 2)),
        "subjects": rng.sample(SUBJECTS, rng.randint(1, 3)),
        "year": rng.randint(1950, 2025),
        "language": rng.choice(LANGS),
        "material_type": material,
        "publisher": rng.choice(["Gramedia", "Balai Pustaka", "Bentang", "Mizan", "Erlangga"]),
        "description": " ".join(_words(rng, rng.randint(8, 20)) + [rare]),
    }
    if material in ("ebook", "database"):
        rec["access_url"] = f"https://ebook.example.org/{i}"
    return rec


def records(start: int, stop: int, total: int, seed: int = 7):
    """(position, payload, problem, record key) tuples, as the importer takes them."""
    rng = random.Random(seed * 1_000_003 + start)
    for i in range(start, stop):
        yield i + 1, record(i, rng, total), None, f"bench:{i}"
