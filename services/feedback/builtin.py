"""The templates the service comes with, in Indonesian and English.

- `layanan_perpustakaan`: service quality in the structure of LibQUAL+ (22 core
  items in three dimensions, each answered as the minimum acceptable, the desired
  and the perceived level on 1-9); the items are written in our own words.
- `skm`: the public-service satisfaction survey (Survei Kepuasan Masyarakat) with
  the nine elements (unsur) of Peraturan Menteri PANRB No. 14 Tahun 2017, each on
  its 1-4 scale; its index is computed in results.py as the regulation prescribes.
- `nps`: Net Promoter Score (0-10) and why.
- `evaluasi_pelatihan`: the evaluation of a staff-development programme.
- `pasca_kegiatan`: after a community programme.
"""

from __future__ import annotations


def _q(qid, qtype, text_id, text_en, required=True, dimension=None, options=()):
    return {
        "id": qid,
        "type": qtype,
        "required": required,
        "text_id": text_id,
        "text_en": text_en,
        "dimension": dimension,
        "options": [{"value": v, "text_id": i, "text_en": e} for v, i, e in options],
    }


# (id, Indonesian, English) per dimension: 9 + 8 + 5 = 22 items.
LIBQUAL_ITEMS = {
    "affect_of_service": [
        ("as1", "Petugas menumbuhkan rasa percaya pada pemustaka",
         "Staff earn the trust of the people they serve"),
        ("as2", "Petugas memberi perhatian kepada setiap pemustaka",
         "Staff give each visitor their attention"),
        ("as3", "Petugas selalu bersikap sopan", "Staff are courteous at all times"),
        ("as4", "Petugas sigap menjawab pertanyaan pemustaka",
         "Staff are ready to answer visitors' questions"),
        ("as5", "Petugas berpengetahuan untuk menjawab pertanyaan",
         "Staff know enough to answer the questions asked"),
        ("as6", "Petugas melayani dengan peduli", "Staff serve with care"),
        ("as7", "Petugas memahami kebutuhan pemustaka", "Staff understand what visitors need"),
        ("as8", "Petugas mau membantu ketika diminta", "Staff are willing to help when asked"),
        ("as9", "Petugas dapat diandalkan menangani masalah layanan",
         "Staff can be relied on to handle service problems"),
    ],
    "information_control": [
        ("ic1", "Sumber elektronik dapat diakses dari rumah atau kantor",
         "Electronic resources can be reached from home or work"),
        ("ic2", "Situs web perpustakaan memudahkan mencari informasi sendiri",
         "The library's website makes it easy to find information alone"),
        ("ic3", "Koleksi cetak sesuai kebutuhan saya", "The printed collection has what I need"),
        ("ic4", "Tersedia sumber informasi elektronik yang saya perlukan",
         "The electronic sources I need are there"),
        ("ic5", "Peralatan modern memudahkan akses informasi",
         "Modern equipment gives easy access to information"),
        ("ic6", "Alat pencarian mudah digunakan sendiri",
         "Search tools are easy to use on my own"),
        ("ic7", "Informasi mudah diakses untuk keperluan sendiri",
         "Information is easy to reach for my own use"),
        ("ic8", "Jurnal dan majalah cetak maupun elektronik memadai",
         "Print and electronic journals and magazines are sufficient"),
    ],
    "library_as_place": [
        ("lp1", "Ruang perpustakaan mendorong belajar dan berpikir",
         "The library's space inspires study and thought"),
        ("lp2", "Tersedia tempat tenang untuk kegiatan pribadi",
         "There is quiet space for individual work"),
        ("lp3", "Ruangan nyaman dan mengundang", "The rooms are comfortable and inviting"),
        ("lp4", "Perpustakaan menjadi tempat belajar, riset, dan membaca",
         "The library is a place to learn, research and read"),
        ("lp5", "Tersedia ruang untuk belajar dan berdiskusi bersama",
         "There is space to study and talk together"),
    ],
}  # fmt: skip

# The nine elements of Permenpan RB No. 14/2017 (Lampiran, II.C), as a library asks
# them; each answered 1 (tidak sesuai / tidak puas) to 4 (sangat sesuai / sangat puas).
SKM_ELEMENTS = [
    ("u1", "Persyaratan: kesesuaian persyaratan pelayanan dengan jenis layanannya",
     "Requirements: do the service's requirements fit it"),
    ("u2", "Sistem, mekanisme, dan prosedur: kemudahan prosedur pelayanan",
     "Systems, mechanisms and procedures: how easy the procedure is"),
    ("u3", "Waktu penyelesaian: kecepatan waktu pelayanan",
     "Completion time: how quickly you were served"),
    ("u4", "Biaya/tarif: kewajaran biaya (atau gratis) pelayanan",
     "Cost: how fair the cost (or its being free) is"),
    ("u5", "Produk spesifikasi jenis pelayanan: kesesuaian hasil dengan yang dijanjikan",
     "Product: does what you got match what was promised"),
    ("u6", "Kompetensi pelaksana: kemampuan petugas",
     "Competence of staff: their ability"),
    ("u7", "Perilaku pelaksana: kesopanan dan keramahan petugas",
     "Conduct of staff: their courtesy and friendliness"),
    ("u8", "Penanganan pengaduan, saran dan masukan",
     "Handling of complaints, suggestions and input"),
    ("u9", "Sarana dan prasarana: kualitas fasilitas",
     "Facilities and infrastructure: their quality"),
]  # fmt: skip

COMMENT = ("komentar", "text", "Saran dan komentar", "Suggestions and comments")


def _libqual() -> list[dict]:
    items = [
        _q(qid, "libqual", ind, en, dimension=dim)
        for dim, rows in LIBQUAL_ITEMS.items()
        for qid, ind, en in rows
    ]
    return [*items, _q(*COMMENT, required=False)]


def _skm() -> list[dict]:
    items = [_q(qid, "skm", ind, en, dimension=qid) for qid, ind, en in SKM_ELEMENTS]
    return [*items, _q(*COMMENT, required=False)]


def _nps() -> list[dict]:
    return [
        _q("rekomendasi", "nps",
           "Seberapa besar kemungkinan Anda merekomendasikan perpustakaan kepada teman?",
           "How likely are you to recommend the library to a friend?"),
        _q("alasan", "text", "Apa alasan utama nilai Anda?", "What is the main reason?",
           required=False),
    ]  # fmt: skip


def _training() -> list[dict]:
    return [
        _q("materi", "likert", "Materi sesuai dengan kebutuhan pekerjaan saya",
           "The content fits the needs of my work"),
        _q("narasumber", "likert", "Narasumber menguasai materi", "The trainer knew the subject"),
        _q("metode", "likert", "Metode pelatihan membantu saya belajar",
           "The training's methods helped me learn"),
        _q("waktu", "likert", "Waktu pelatihan memadai", "There was enough time"),
        _q("manfaat", "likert", "Saya akan menerapkan hasilnya di tempat kerja",
           "I will apply what I learned at work"),
        _q("keseluruhan", "rating", "Nilai keseluruhan pelatihan (1-9)",
           "Overall rating of the training (1-9)"),
        _q("topik_lanjutan", "multiple", "Topik lanjutan yang Anda minati",
           "Further topics you would like", required=False,
           options=[("ti", "Teknologi informasi", "Information technology"),
                    ("koleksi", "Pengelolaan koleksi", "Collection management"),
                    ("layanan", "Layanan pemustaka", "User services"),
                    ("literasi", "Literasi informasi", "Information literacy")]),
        _q(*COMMENT, required=False),
    ]  # fmt: skip


def _post_event() -> list[dict]:
    return [
        _q("isi", "likert", "Isi kegiatan bermanfaat bagi saya", "The programme was useful to me"),
        _q("pemandu", "likert", "Pemandu kegiatan menyampaikan dengan jelas",
           "The host explained things clearly"),
        _q("tempat", "likert", "Tempat dan waktu kegiatan nyaman",
           "The place and time were convenient"),
        _q("rekomendasi", "nps", "Seberapa besar kemungkinan Anda mengajak teman ke kegiatan "
           "serupa?", "How likely are you to bring a friend to a programme like this?"),
        _q("tahu_dari", "single", "Dari mana Anda tahu kegiatan ini?",
           "How did you hear of this programme?", required=False,
           options=[("media_sosial", "Media sosial", "Social media"),
                    ("teman", "Teman atau keluarga", "Friends or family"),
                    ("sekolah", "Sekolah atau kampus", "School or university"),
                    ("perpustakaan", "Pengumuman di perpustakaan", "A notice at the library")]),
        _q(*COMMENT, required=False),
    ]  # fmt: skip


BUILT_IN = {
    "layanan_perpustakaan": (
        "Survei kualitas layanan perpustakaan",
        "Library service quality survey",
        _libqual(),
    ),
    "skm": ("Survei Kepuasan Masyarakat (SKM)", "Public-service satisfaction survey", _skm()),
    "nps": ("Rekomendasi perpustakaan", "Would you recommend the library", _nps()),
    "evaluasi_pelatihan": ("Evaluasi pelatihan", "Training evaluation", _training()),
    "pasca_kegiatan": ("Evaluasi kegiatan", "After the programme", _post_event()),
}
# The templates campaigns opened by events use.
TRAINING_TEMPLATE = "evaluasi_pelatihan"
POST_EVENT_TEMPLATE = "pasca_kegiatan"
