"""The chassis' error classes, made to survive nameko's RPC hop.

nameko re-raises at the caller the class registered under the error's module path,
else a RemoteError (which the gateway could only answer with a 500). Every subclass
of DomainError is registered; one raised that is not (defined after registration)
leaves the service as its nearest registered ancestor, code and details kept, so no
error becomes a 500 on the way.
"""

from __future__ import annotations

from nameko.exceptions import get_module_path, registry

from chassis.errors import DomainError


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def register_domain_errors() -> None:
    for cls in (DomainError, *_subclasses(DomainError)):
        registry[get_module_path(cls)] = cls


def registered(exc: BaseException) -> BaseException:
    """`exc`, or an equal error of its nearest registered ancestor."""
    if not isinstance(exc, DomainError) or get_module_path(type(exc)) in registry:
        return exc
    for cls in type(exc).__mro__:
        if get_module_path(cls) in registry:
            same = cls(exc.message, exc.details)
            same.code = exc.code
            return same
    return exc  # unreachable: DomainError itself is registered


register_domain_errors()  # on import: whoever makes or answers a call imports this first
