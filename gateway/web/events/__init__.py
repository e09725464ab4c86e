"""The events slice of the web app: what does more than forward a call. Its feeds
and figures (feeds.py), and its pages for people (routes.py): the calendar (/acara),
a programme's page with its registration form, a registration's ticket, and the
check-in page at the door."""

from services.events.contract import AGE_GROUPS, AUDIENCES, PROGRAMME_TYPES, REGISTRATION_STATUSES

from .feeds import EventFeeds
from .routes import EventsPages

WEB = (EventFeeds, EventsPages)
# The contract's values the pages label, by message context: each needs a
# translation in every catalogue (gateway/web/catalogues.py checks).
VOCABULARY = {
    "programme_type": PROGRAMME_TYPES,
    "audience": AUDIENCES,
    "age_group": AGE_GROUPS,
    "registration_status": REGISTRATION_STATUSES,
}
