"""The feedback slice of the web app: what does more than forward a call. Its CSV
exports (exports.py), and its pages (routes.py): the survey form a link opens
(/s/<token>), the results reports for headquarters and the branches, and the
community's suggestions in public (/usulan, suggestions.py)."""

from services.feedback.contract import (
    AUDIENCES,
    CAMPAIGN_STATUSES,
    LIBQUAL_PARTS,
    PROGRAMME_TYPES,
    SCALES,
    SUGGESTION_KINDS,
    SUGGESTION_STAGES,
    SUGGESTION_STATUSES,
)

from .exports import FeedbackExports
from .routes import FeedbackPages

WEB = (FeedbackExports, FeedbackPages)
# The contract's values the pages label, by message context: each needs a
# translation in every catalogue (gateway/web/catalogues.py checks).
VOCABULARY = {
    "libqual_part": LIBQUAL_PARTS,
    "campaign_status": CAMPAIGN_STATUSES,
    "scale_low": tuple(SCALES),
    "scale_high": tuple(SCALES),
    "programme_type": PROGRAMME_TYPES,
    "audience": AUDIENCES,
    "suggestion_kind": SUGGESTION_KINDS,
    "suggestion_stage": SUGGESTION_STAGES,
    "suggestion_status": SUGGESTION_STATUSES,
}
