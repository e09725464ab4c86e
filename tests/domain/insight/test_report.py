"""The year's report as a PDF, on both databases: made from the year's figures by
headquarters alone, the same bytes for the same figures, and a year outside those
kept refused by name."""

import base64
import re

import pytest

from chassis.errors import Forbidden, ValidationFailed
from services.insight import members, report, visits
from tests.domain.insight.helpers import ADMIN, KMN, NOW, TODAY, read, run


def test_the_years_report_is_a_pdf_of_its_figures(insight_db, base_config):
    settings = base_config["insight"]["IPLM"]
    year = TODAY.year
    run(insight_db, visits.record_visit, {"branch": "KMN", "purpose": "reading"}, KMN, NOW)
    month = {"branch": "KMN", "month": f"{year}-01", "members": 250}
    run(insight_db, members.put_members, month, ADMIN)

    made = read(insight_db, report.year_report, {"year": year}, ADMIN, settings)
    pdf = base64.b64decode(made["pdf_base64"])
    assert made["filename"] == f"laporan-tahunan-{year}.pdf"
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page\b", pdf)) >= 1
    assert read(insight_db, report.year_report, {"year": year}, ADMIN, settings) == made

    with pytest.raises(Forbidden):
        read(insight_db, report.year_report, {"year": year}, KMN, settings)
    with pytest.raises(ValidationFailed) as refused:
        read(insight_db, report.year_report, {"year": 1999}, ADMIN, settings)
    assert "year" in refused.value.details["fields"]


def test_the_report_weighs_each_months_libqual_gaps_by_their_responses(insight_db, base_config):
    from services.insight.figures import dashboard
    from services.insight.models import Campaign, Copy

    year = TODAY.year
    told = [  # (campaign, month, responses, {dimension: gap})
        ("CMP000001", f"{year}-03", 4, {"affect_of_service": -0.5, "library_as_place": 2.0}),
        ("CMP000002", f"{year}-05", 1, {"affect_of_service": 1.0}),
    ]
    with insight_db.transaction() as session:
        for campaign, month, responses, gaps in told:
            session.add(
                Campaign(id=campaign, branch="KMN", template="layanan_perpustakaan",
                         month=month, responses=responses, adequacy_gaps=gaps)
            )  # fmt: skip
        session.add(
            Copy(barcode="KMN-1", title_id="T000001", branch="KMN", status="available",
                 status_at=NOW, month=f"{year}-05")
        )  # fmt: skip
    months = read(insight_db, dashboard, {"from": f"{year}-01", "to": f"{year}-12"}, ADMIN)
    (kmn,) = [r for r in report._activity(months["items"], {}) if r["branch_code"] == "KMN"]
    assert kmn["gaps"] == {
        "affect_of_service": round((-0.5 * 4 + 1.0 * 1) / 5, 2),
        "library_as_place": 2.0,  # asked in March only
    }
    assert (kmn["libqual_responses"], kmn["copies_added"]) == (5, 1)
    assert (kmn["gaps_closed"], kmn["at_level"]) == (0, None)  # no staff, no requirements
    settings = base_config["insight"]["IPLM"]
    made = read(insight_db, report.year_report, {"year": year}, ADMIN, settings)
    assert base64.b64decode(made["pdf_base64"]).startswith(b"%PDF-")
