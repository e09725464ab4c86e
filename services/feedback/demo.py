"""Demo data for feedback, loaded by `make up` on first run (when feedback has no
branch yet): the catalogue demo's branches; for every branch a year of responses to
the public-service satisfaction survey (SKM), the Net Promoter question and the
LibQUAL+-structured service-quality survey, each branch with its own quality;
evaluations of staff-development programmes and of community programmes; visitors'
tickets in every state; and suggestions voted (about half the supporters leaving a
phone number or an e-mail address to be told), approved, rejected and fulfilled. It
goes through the same logic as any write (answers checked and counted, events in
the outbox), and the same seed makes the same demo every time.

The first campaign (CMP000001) is a book discussion at KMN co-hosted by SD Negeri 4
Sungai Penuh (PTN0003, as the events demo numbers its partners), the second
(CMP000002) the survey of SPN; the first ticket (TKT000001) is KMN's, the second
(TKT000002) SPN's; the first suggestion (SUG000001) is open for votes: the access
table's walk (tests/e2e/access.py) names them. The fourth (SUG000004) is fulfilled:
its supporters' contacts are there to read; the third's were erased by its rejection.

The phone numbers look like anyone's: a notifier trying the demo must not send to them
(the e-mail addresses are at the reserved example domains)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from chassis.context import SYSTEM
from chassis.db import DatabaseSession

from . import campaigns, responses, results, suggestions, tickets
from .models import Branch, Campaign, Invitation, Template, branches

BRANCHES = [
    ("SPN", "Perpustakaan Kota Sungai Penuh (Pusat)"),
    ("PDT", "Perpustakaan Cabang Pondok Tinggi"),
    ("KMN", "Perpustakaan Cabang Kumun Debai"),
    ("HRW", "Perpustakaan Cabang Hamparan Rawang"),
    ("PSB", "Perpustakaan Cabang Pesisir Bukit"),
]
# Each branch's quality, -1 (weaker) to 1 (stronger): the spread of its answers.
QUALITY = {"SPN": 0.6, "PDT": 0.2, "KMN": 0.4, "HRW": -0.3, "PSB": -0.1}
RESPONSES = {"skm": 40, "nps": 50, "layanan_perpustakaan": 12}
COMMENTS = [
    "Petugas ramah dan cepat membantu.",
    "Koleksi buku anak perlu ditambah.",
    "Wi-Fi sering putus di ruang baca.",
    "Jam buka Sabtu sebaiknya diperpanjang.",
    "Ruang baca nyaman dan bersih.",
    "Katalog online memudahkan mencari buku.",
]
TICKETS = [  # (branch, category, message, status, days to answer, answer)
    ("KMN", "facility", "Kipas angin di ruang baca anak tidak berfungsi.", "received", None, None),
    ("SPN", "service", "Antrean peminjaman panjang pada jam istirahat siang.", "received", None,
     None),
    ("PDT", "collection", "Buku paket SMA kelas XII sering tidak tersedia.", "in_progress", None,
     None),
    ("HRW", "facility", "Toilet pengunjung perlu dibersihkan lebih sering.", "resolved", 2,
     "Jadwal kebersihan sudah ditambah menjadi dua kali sehari."),
    ("PSB", "programme", "Mohon kelas menulis untuk remaja diadakan lagi.", "resolved", 9,
     "Kelas menulis remaja dijadwalkan bulan depan."),
    ("SPN", "other", "Parkir motor penuh pada akhir pekan.", "rejected", 4,
     "Lahan parkir di luar kewenangan perpustakaan; sudah kami teruskan ke kelurahan."),
    ("KMN", "service", "Petugas sangat membantu mencarikan arsip koran lama.", "resolved", 1,
     "Terima kasih atas apresiasinya."),
]  # fmt: skip
SUGGESTIONS = [  # (payload, extra voters, then)
    ({"kind": "collection", "title": "Laut Bercerita", "authors": ["Leila S. Chudori"],
      "isbn": "9786024246945", "reason": "Banyak diminta mahasiswa.", "branch": "KMN"}, 6,
     "submitted"),
    ({"kind": "collection", "title": "Sejarah Kerinci", "authors": ["Iskandar Zakaria"],
      "reason": "Untuk koleksi lokal.", "branch": "SPN"}, 9, "approved"),
    ({"kind": "collection", "title": "Novel populer terjemahan", "authors": [],
      "reason": "Bacaan hiburan.", "branch": "PSB"}, 1, "rejected"),
    ({"kind": "collection", "title": "Bumi Manusia", "authors": ["Pramoedya Ananta Toer"],
      "isbn": "9789799731234", "reason": "Bacaan wajib sastra SMA.", "branch": "PDT"}, 12,
     "fulfilled"),
    ({"kind": "programme", "programme_type": "storytime", "topic": "Dongeng rakyat Kerinci",
      "audience": "children", "branch": "HRW", "reason": "Anak-anak suka cerita daerah."}, 7,
     "approved"),
    ({"kind": "programme", "programme_type": "literacy_workshop",
      "topic": "Literasi digital untuk orang tua", "audience": "adults", "branch": "SPN"}, 3,
     "submitted"),
]  # fmt: skip
# What supporters leave to be told: mobile numbers as people type them, e-mail addresses.
CONTACTS = [
    "0812-7400-1234", "dewi.anggraini@example.com", "0813 6612 0457", "+62 852 6634 1190",
    "Rahmat.Hidayat@Example.org", "0821-7788-3021", "siti.rahmawati@example.com",
    "0811 745 2208", "yusuf.pratama@example.net", "085365017746",
]  # fmt: skip
EVENTS = [  # (occurrence, title, branch, partners, attendees, months back)
    ("OCC-DEMO-01", "Bedah buku: Laskar Pelangi", "KMN", ["PTN0003"], 14, 1),
    ("OCC-DEMO-02", "Kelas kreatif: membuat komik", "SPN", [], 18, 4),
    ("OCC-DEMO-03", "Lokakarya literasi informasi", "PDT", ["PTN0003"], 12, 7),
    ("OCC-DEMO-04", "Mendongeng untuk anak", "HRW", [], 20, 10),
]
TRAININGS = [("PRG000001", "Pelatihan pengoperasian SLiMS", 9), ("PRG000002", "Layanan prima", 7)]


def load_demo(db: DatabaseSession, today: dt.date | None = None) -> int:
    today = today or dt.date.today()
    chance = random.Random(11)
    with db.transaction() as session:
        if session.scalar(select(Branch.code).limit(1)) is not None:
            return 0
        for code, name in BRANCHES:
            branches.seen(session, {"code": code, "name": name})
        # The first campaign KMN's co-hosted event, the second SPN's survey (above).
        made = _event(session, chance, today, *EVENTS[0])
        made += _branch_surveys(session, chance, today, "SPN", ("skm",))
        for event in EVENTS[1:]:
            made += _event(session, chance, today, *event)
        for code, _ in BRANCHES:
            rest = [t for t in RESPONSES if (code, t) != ("SPN", "skm")]
            made += _branch_surveys(session, chance, today, code, rest)
            made += _libqual_quarters(session, chance, today, code)
        made += _trainings(session, chance, today)
        made += _tickets(session, today)
        made += _suggestions(session, chance, today)
    return made


def _score(chance: random.Random, quality: float, low: int, high: int) -> int:
    """An answer on low..high leaning to the branch's quality."""
    middle = (low + high) / 2 + quality * (high - low) / 4
    return max(low, min(high, round(chance.gauss(middle, (high - low) / 5))))


def _answers(questions, chance, quality) -> dict:
    answers: dict = {}
    for q in questions:
        kind = q["type"]
        if kind == "libqual":
            minimum = _score(chance, quality - 0.6, 1, 9)
            desired = max(minimum, _score(chance, quality + 0.9, 1, 9))
            answers[q["id"]] = {
                "minimum": minimum, "desired": desired,
                "perceived": _score(chance, quality, 1, 9),
            }  # fmt: skip
        elif kind in ("likert", "rating", "skm", "nps"):
            low, high = {"likert": (1, 5), "rating": (1, 9), "skm": (1, 4), "nps": (0, 10)}[kind]
            answers[q["id"]] = _score(chance, quality + (0.6 if kind == "nps" else 0), low, high)
        elif kind == "single":
            answers[q["id"]] = chance.choice(q["options"])["value"]
        elif kind == "multiple":
            answers[q["id"]] = sorted({chance.choice(q["options"])["value"] for _ in range(2)})
        elif chance.random() < 0.2:
            answers[q["id"]] = chance.choice(COMMENTS)
    return answers


def _respond(session, campaign, chance, quality, n, first: dt.date, last: dt.date, invited=()):
    template = session.get(Template, (campaign.template_code, campaign.template_version))
    days = max((last - first).days, 0)
    answered = [
        (
            _answers(template.questions, chance, quality),
            first + dt.timedelta(days=chance.randint(0, days)),
            invited[i] if i < len(invited) else None,
        )
        for i in range(n)
    ]
    responses.record_many(session, campaign, template.questions, answered)
    return n


def _event(session, chance, today, occurrence, title, branch, partners, attendees, back):
    ends = dt.datetime.combine(today - dt.timedelta(days=30 * back), dt.time(11), dt.UTC)
    data = {
        "occurrence_id": occurrence, "programme_id": f"EVT-DEMO-{occurrence[-2:]}",
        "title": title, "branch": branch, "ends_at": ends, "partners": partners,
        "attendees": [f"REG-{occurrence[-2:]}-{i:03d}" for i in range(1, attendees + 1)],
    }  # fmt: skip
    campaign = campaigns.event_completed(session, data)
    if back <= 1:  # the latest still open: its links can be tried
        campaign.closes_on = today + dt.timedelta(days=14)
    invited = list(
        session.scalars(select(Invitation).where(Invitation.campaign_seq == campaign.seq))
    )
    answered = invited[: int(len(invited) * 0.7)]
    day = ends.date()
    made = _respond(session, campaign, chance, QUALITY[branch], len(answered), day,
                    min(day + dt.timedelta(days=5), today), answered)  # fmt: skip
    if campaign.closes_on < today:
        results.close(session, campaign)
    return made


def _branch_campaign(session, code, template, subject, title, opens, closes) -> Campaign:
    """A survey of a branch's service, `template`, open from `opens` to `closes`."""
    payload = {
        "template": template,
        "subject_type": "branch",
        "subject_id": subject,
        "title": f"{dict(BRANCHES)[code]}: {title}",
        "branch": code,
        "opens_on": opens.isoformat(),
        "closes_on": closes.isoformat(),
    }
    dumped = campaigns.open_campaign(session, payload, SYSTEM, today=opens)
    return session.get(Campaign, int(dumped["id"][3:]))


def _branch_surveys(session, chance, today, code, templates) -> int:
    made = 0
    start = today - dt.timedelta(days=365)
    for template in templates:
        subject, title = f"{code}-{template}-{today.year}", f"layanan {today.year}"
        ends = today + dt.timedelta(days=30)
        campaign = _branch_campaign(session, code, template, subject, title, start, ends)
        made += _respond(
            session, campaign, chance, QUALITY[code], RESPONSES[template], start, today
        )
    return made


def _libqual_quarters(session, chance, today, code) -> int:
    """A month-long LibQUAL+ survey of the branch's service each quarter of the past
    year, closed, so that its adequacy gaps are published (evaluation_summarized)."""
    made = 0
    for quarter in (3, 2, 1):
        opens = today - dt.timedelta(days=91 * quarter)
        subject, title = f"{code}-libqual-{opens.isoformat()}", f"LibQUAL+ {opens:%m/%Y}"
        ends = opens + dt.timedelta(days=30)
        campaign = _branch_campaign(
            session, code, "layanan_perpustakaan", subject, title, opens, ends
        )
        made += _respond(session, campaign, chance, QUALITY[code], 8, opens,
                         opens + dt.timedelta(days=30))  # fmt: skip
        results.close(session, campaign)
    return made


def _trainings(session, chance, today) -> int:
    made = 0
    for i, (programme, topic, completers) in enumerate(TRAININGS):
        day = today - dt.timedelta(days=60 + 120 * i)
        for n in range(1, completers + 1):
            data = {"programme_id": programme, "staff_id": f"S{n:06d}", "branch": "SPN",
                    "topic": topic, "completed_on": day}  # fmt: skip
            campaign = campaigns.training_completed(session, data)
        invited = list(
            session.scalars(select(Invitation).where(Invitation.campaign_seq == campaign.seq))
        )
        answered = invited[: completers - 2]
        made += _respond(session, campaign, chance, 0.5, len(answered), day,
                         day + dt.timedelta(days=7), answered)  # fmt: skip
        results.close(session, campaign)
    return made


def _tickets(session, today) -> int:
    base = dt.datetime.combine(today, dt.time(9), dt.UTC).timestamp()
    for i, (branch, category, message, status, days, answer) in enumerate(TICKETS):
        opened = base - (len(TICKETS) - i) * 20 * 86400
        made = tickets.open_ticket(
            session, {"category": category, "branch": branch, "message": message}, now=opened
        )
        if status != "received":
            tickets.transition_ticket(session, made["id"], {"to": "in_progress"}, SYSTEM, opened)
        if status in ("resolved", "rejected"):
            move = {"to": status, "response": answer}
            tickets.transition_ticket(session, made["id"], move, SYSTEM, opened + days * 86400)
    return len(TICKETS)


def _suggestions(session, chance, today) -> int:
    for i, (payload, voters, then) in enumerate(SUGGESTIONS):
        member = f"{payload['branch']}-2025-{100 + i:04d}"
        day = today - dt.timedelta(days=200 - 30 * i)
        suggester = {**payload, "member": member, "contact": _contact(chance)}
        made = suggestions.submit_suggestion(session, suggester, today=day)
        for v in range(voters):
            voter = {"member": f"{payload['branch']}-2024-{v:04d}", "contact": _contact(chance)}
            suggestions.vote(session, made["id"], voter)
        if then in ("approved", "fulfilled"):
            suggestions.approve_suggestion(session, made["id"], SYSTEM)
        if then == "rejected":
            reason = {"reason": "Di luar kebijakan pengembangan koleksi perpustakaan."}
            suggestions.reject_suggestion(session, made["id"], reason, SYSTEM)
        if then == "fulfilled":
            # As the catalogue's order and its catalogued title would tell it.
            ref = f"ACQ-DEMO-{i}"
            suggestions.acquisition_ordered(session, {"id": ref, "suggestion_id": made["id"]})
            suggestions.acquisition_received(session, {"id": ref, "title_id": "T000002"})
            for branch in ("HRW", "SPN"):  # the catalogue demo's copies of T000002
                suggestions.acquisition_shelved(session, {"id": ref, "branch": branch})
    return len(SUGGESTIONS)


def _contact(chance) -> str | None:
    """About half of those who back a suggestion ask to be told."""
    return chance.choice(CONTACTS) if chance.random() < 0.5 else None
