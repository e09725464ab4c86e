"""The insight slice of the web app: what does more than forward a call. The year's
KTAK data as CSV and the year's report as PDF (exports.py); the visitors' book at a
branch's entrance and its day's count by hand (book.py), and headquarters' dashboard
with its charts, tables and CSV (dashboard.py), their routes in routes.py."""

from services.insight.contract import AGE_GROUPS, PURPOSES

from .exports import InsightExports
from .routes import InsightPages

WEB = (InsightExports, InsightPages)
# The contract's values the pages label, by message context: each needs a
# translation in every catalogue (gateway/web/catalogues.py checks).
VOCABULARY = {"visit_purpose": PURPOSES, "age_group": AGE_GROUPS}
