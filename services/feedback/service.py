"""The feedback service: thin nameko entrypoints over the domain modules. A `@write`
gets a transaction answered once per request, a `@read` a read-only one."""

from __future__ import annotations

from chassis.nameko.background import Background
from chassis.nameko.database import Database
from chassis.nameko.handlers import event_handler
from chassis.nameko.service import ServiceBase, read, write

from . import campaigns, responses, results, suggestions, templates, tickets
from .closing import Closer
from .contract import CONTRACT
from .models import Base, branches


def closer(config: dict, database) -> Closer:
    return Closer(database.transaction, float(config["feedback"]["CLOSE_DUE_SECONDS"]))


class DueCampaigns(Background):
    identifier = "feedback-closing"
    wakes_on = frozenset()  # campaigns fall due with time: no commit makes one due


class FeedbackService(ServiceBase):
    name = "feedback"
    # Acquisitions were read from every title and copy the catalogue made; now from
    # the catalogue's acquisition_received and acquisition_shelved.
    retired_handlers = (
        ("catalog", "title_created", "on_title_created"),
        ("catalog", "item_added", "on_item_added"),
    )

    db = Database(Base)
    closing = DueCampaigns(closer)

    # -- templates ----------------------------------------------------------------------
    @read
    def list_templates(self, session) -> dict:
        return templates.list_templates(session)

    @read
    def get_template(self, session, code: str, version: int | None = None) -> dict:
        return templates.get_template(session, code, version)

    @write
    def put_template(self, session, payload: dict) -> dict:
        return templates.put_template(session, payload, self.caller)

    # -- campaigns ----------------------------------------------------------------------
    @write
    def open_campaign(self, session, payload: dict) -> dict:
        return campaigns.open_campaign(session, payload, self.caller)

    @read
    def list_campaigns(self, session, params: dict) -> dict:
        return campaigns.list_campaigns(session, params, self.caller)

    @read
    def get_campaign(self, session, campaign_id: str) -> dict:
        return campaigns.get_campaign(session, campaign_id, self.caller)

    @write
    def invite(self, session, campaign_id: str, payload: dict) -> dict:
        return campaigns.invite(session, campaign_id, payload, self.caller)

    @read
    def list_invitations(self, session, campaign_id: str) -> dict:
        return campaigns.list_invitations(session, campaign_id, self.caller)

    @write
    def close_campaign(self, session, campaign_id: str) -> dict:
        return results.close_campaign(session, campaign_id, self.caller)

    # -- answering --------------------------------------------------------------------------
    @read
    def survey_form(self, session, token: str) -> dict:
        return responses.survey_form(session, token)

    @write
    def submit_response(self, session, token: str, payload: dict) -> dict:
        return responses.submit_response(session, token, payload)

    # -- results ----------------------------------------------------------------------------
    @read
    def results(self, session, campaign_id: str) -> dict:
        return results.results(session, campaign_id, self.caller)

    @read
    def overview(self, session, params: dict) -> dict:
        return results.overview(session, params, self.caller)

    # -- tickets ----------------------------------------------------------------------------
    @write
    def open_ticket(self, session, payload: dict) -> dict:
        return tickets.open_ticket(session, payload)

    @read
    def list_tickets(self, session, params: dict) -> dict:
        return tickets.list_tickets(session, params, self.caller)

    @read
    def get_ticket(self, session, ticket_id: str) -> dict:
        return tickets.get_ticket(session, ticket_id, self.caller)

    @write
    def transition_ticket(self, session, ticket_id: str, payload: dict) -> dict:
        return tickets.transition_ticket(session, ticket_id, payload, self.caller)

    # -- suggestions ------------------------------------------------------------------------
    @write
    def submit_suggestion(self, session, payload: dict) -> dict:
        return suggestions.submit_suggestion(session, payload)

    @read
    def list_suggestions(self, session, params: dict) -> dict:
        return suggestions.list_suggestions(session, params)

    @read
    def get_suggestion(self, session, suggestion_id: str) -> dict:
        return suggestions.get_suggestion(session, suggestion_id)

    @read
    def list_branches(self, session) -> dict:
        return branches.listed(session)

    @write
    def vote(self, session, suggestion_id: str, payload: dict) -> dict:
        return suggestions.vote(session, suggestion_id, payload)

    @write
    def approve_suggestion(self, session, suggestion_id: str) -> dict:
        return suggestions.approve_suggestion(session, suggestion_id, self.caller)

    @write
    def reject_suggestion(self, session, suggestion_id: str, payload: dict) -> dict:
        return suggestions.reject_suggestion(session, suggestion_id, payload, self.caller)

    @read
    def suggestion_supporters(self, session, suggestion_id: str, params: dict) -> dict:
        return suggestions.suggestion_supporters(session, suggestion_id, params, self.caller)

    # -- what other services tell us ------------------------------------------------------
    @event_handler(CONTRACT.consumed("catalog", "branch_updated"))
    def on_branch_updated(self, event: dict) -> None:
        self.db.apply_once(event, branches.seen, event["data"])

    @event_handler(CONTRACT.consumed("catalog", "acquisition_ordered"))
    def on_acquisition_ordered(self, event: dict) -> None:
        self.db.apply_once(event, suggestions.acquisition_ordered, event["data"])

    @event_handler(CONTRACT.consumed("catalog", "acquisition_received"))
    def on_acquisition_received(self, event: dict) -> None:
        self.db.apply_once(event, suggestions.acquisition_received, event["data"])

    @event_handler(CONTRACT.consumed("catalog", "acquisition_shelved"))
    def on_acquisition_shelved(self, event: dict) -> None:
        self.db.apply_once(event, suggestions.acquisition_shelved, event["data"])

    @event_handler(CONTRACT.consumed("events", "programme_published"))
    def on_programme_published(self, event: dict) -> None:
        self.db.apply_once(event, suggestions.programme_published, event["data"])

    @event_handler(CONTRACT.consumed("events", "event_completed"))
    def on_event_completed(self, event: dict) -> None:
        self.db.apply_once(event, campaigns.event_completed, event["data"])

    @event_handler(CONTRACT.consumed("people", "training_completed"))
    def on_training_completed(self, event: dict) -> None:
        self.db.apply_once(event, campaigns.training_completed, event["data"])
