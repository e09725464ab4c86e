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
