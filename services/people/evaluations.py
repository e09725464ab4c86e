"""feedback's evaluation of a programme, recorded beside it (the newest summary
wins). Evaluations of other subjects (events, branches) are not people's."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from .models import Programme
from .programmes import find_programme

log = logging.getLogger(__name__)


def evaluation_summarized(session: Session, data: dict) -> Programme | None:
    if data["subject_type"] != "programme":
        log.debug("evaluation of a %s: not a programme's", data["subject_type"])
        return None
    programme = find_programme(session, data["subject_id"], for_update=True)
    programme.evaluation = {
        "campaign_id": data["campaign_id"],
        "responses": data["responses"],
        "average": data.get("average"),
        "summary": data.get("summary"),
    }
    session.flush()
    return programme
