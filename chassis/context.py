"""Who is calling: set by the gateway in nameko context data, carried on by nameko
with every RPC call and event, read by services for authorisation and audit."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .errors import Forbidden

KEY = "caller"
# The id of the request a call serves: the client's Idempotency-Key, or the gateway's
# own per request. Writes are done once per request id (DatabaseSession.write_once).
REQUEST_ID_KEY = "request_id"
ROLES = ("admin", "branch", "partner", "integrator", "service")


@dataclass(frozen=True)
class Caller:
    client_id: str
    role: str
    branch: str | None = None
    partner: str | None = None

    def as_context(self) -> dict:
        return asdict(self)

    @classmethod
    def from_context(cls, context_data: dict) -> Caller:
        raw = context_data.get(KEY)
        if not raw:
            # An event handler or a timer acts as its service. An RPC call without a
            # caller never gets here: its entrypoint refuses it (ServiceRpc).
            return SYSTEM
        return cls(
            client_id=raw.get("client_id", UNNAMED),
            role=raw["role"],
            branch=raw.get("branch"),
            partner=raw.get("partner"),
        )

    @property
    def is_admin(self) -> bool:
        return self.role in ("admin", "service")

    def require_role(self, *roles: str) -> None:
        if not (self.is_admin or self.role in roles):
            raise Forbidden(f"role {self.role!r} may not do this", {"role": self.role})

    def may_act_at(self, branch: str) -> bool:
        """Branch keys act only at their own branch; admins anywhere."""
        return self.is_admin or (self.role == "branch" and self.branch == branch)

    def branch_seen(self, wanted: str | None) -> str | None:
        """The branch a list is limited to: a branch key's own (naming another is a
        403), else the one `wanted` (None: every branch)."""
        if self.role == "branch":
            if wanted and wanted != self.branch:
                self.require_branch(wanted)
            return self.branch
        return wanted

    def require_branch(self, branch: str) -> None:
        if not self.may_act_at(branch):
            raise Forbidden(
                f"this key may not act at branch {branch!r}",
                {"branch": branch, "caller_branch": self.branch},
            )


SYSTEM = Caller(client_id="system", role="service")
# Who calls through the gateway's public routes (no key): a role no check admits.
PUBLIC = Caller(client_id="public", role="public")
UNNAMED = "unnamed"  # the client of an event: events name no key (see on_the_wire)


def on_the_wire(context: dict) -> dict:
    """What of a caller an event carries out of the platform, where integrators read
    it: the role and its branch or partner, never the key id (the outbox keeps that,
    for audit inside)."""
    return {k: v for k, v in context.items() if k != "client_id"}
