"""the built-in competency framework: four areas of the library's programme
(teknologi informasi, manajemen perpustakaan, layanan pelanggan, literasi
informasi), their competencies on a 1-4 scale (3 counted proficient), and the level
each position of the jabatan fungsional pustakawan requires

Revision ID: p0002
Revises: p0001
"""
from alembic import op
import sqlalchemy as sa


revision = 'p0002'
down_revision = 'p0001'
branch_labels = None
depends_on = None

AREAS = [
    ("TI", "Teknologi Informasi", "Information technology"),
    ("MP", "Manajemen Perpustakaan", "Library management"),
    ("LP", "Layanan Pelanggan", "Customer service"),
    ("LI", "Literasi Informasi", "Information literacy"),
]
COMPETENCIES = [
    ("TI-SIPUS", "TI", "Pengoperasian sistem manajemen perpustakaan (SLiMS, INLISLite)",
     "Operating a library management system (SLiMS, INLISLite)"),
    ("TI-BASDAT", "TI", "Pemanfaatan pangkalan data dan sumber elektronik",
     "Using databases and electronic resources"),
    ("TI-MEDSOS", "TI", "Pengelolaan media sosial perpustakaan",
     "Managing the library's social media"),
    ("TI-DIGITAL", "TI", "Alih media dan pengelolaan koleksi digital",
     "Digitisation and managing digital collections"),
    ("MP-KOLEKSI", "MP", "Pengembangan dan pengelolaan koleksi",
     "Collection development and management"),
    ("MP-OLAH", "MP", "Pengolahan bahan perpustakaan (katalogisasi, klasifikasi DDC)",
     "Cataloguing and classification (DDC)"),
    ("MP-RUANG", "MP", "Penataan ruang baca yang nyaman bagi pengunjung",
     "Arranging comfortable reading spaces for visitors"),
    ("LP-KOMUNIKASI", "LP", "Komunikasi efektif dengan pemustaka",
     "Effective communication with library users"),
    ("LP-REFERENSI", "LP", "Layanan referensi dan penelusuran informasi",
     "Reference service and information searching"),
    ("LP-PRIMA", "LP", "Pelayanan prima dan penanganan keluhan",
     "Service excellence and handling complaints"),
    ("LI-PENDIDIKAN", "LI", "Pendidikan pemakai dan pengajaran literasi informasi",
     "User education and teaching information literacy"),
    ("LI-GEMAR", "LI", "Promosi gemar membaca dan kegiatan literasi masyarakat",
     "Reading promotion and community literacy activities"),
    ("LI-EVALUASI", "LI", "Evaluasi sumber informasi dan cek fakta",
     "Evaluating information sources and fact-checking"),
]
# The level each position requires of every competency; staff off the ladder need
# the front desk's few.
LADDER = {
    "terampil": 1, "mahir": 2, "penyelia": 3,
    "ahli_pertama": 2, "ahli_muda": 3, "ahli_madya": 3, "ahli_utama": 4,
}
NON_FUNCTIONAL = {"TI-SIPUS": 1, "LP-KOMUNIKASI": 1, "LP-PRIMA": 1}

areas = sa.table("competency_areas", sa.column("code"), sa.column("name_id"), sa.column("name_en"))
competencies = sa.table(
    "competencies", sa.column("code"), sa.column("area_code"), sa.column("name_id"),
    sa.column("name_en"), sa.column("levels"), sa.column("proficient"),
)
requirements = sa.table(
    "requirements", sa.column("position"), sa.column("competency_code"), sa.column("level")
)


def upgrade():
    op.bulk_insert(areas, [dict(code=c, name_id=i, name_en=e) for c, i, e in AREAS])
    op.bulk_insert(competencies, [
        dict(code=c, area_code=a, name_id=i, name_en=e, levels=4, proficient=3)
        for c, a, i, e in COMPETENCIES
    ])
    rows = [
        dict(position=p, competency_code=c, level=level)
        for p, level in LADDER.items()
        for c, *_ in COMPETENCIES
    ]
    rows += [
        dict(position="non_functional", competency_code=c, level=level)
        for c, level in NON_FUNCTIONAL.items()
    ]
    op.bulk_insert(requirements, rows)


def downgrade():
    codes = [c for c, *_ in COMPETENCIES]
    op.execute(requirements.delete().where(requirements.c.competency_code.in_(codes)))
    op.execute(competencies.delete().where(competencies.c.code.in_(codes)))
    op.execute(areas.delete().where(areas.c.code.in_([c for c, *_ in AREAS])))
