"""Split-URL delivery (docs/runtime.md, "Split-URL redirects"): where to send a visitor whose
assignment carries a variant url, exactly as ``redirectUrl`` in the TypeScript runtime
(``src/runtime/redirect.ts``) answers; test/fixtures/conformance/cases.json ``redirects`` pins both.

The variant url is resolved against the current page; the visitor's query parameters are kept after
the variant url's own, which win when both name the same parameter; the visitor's fragment is kept
unless the variant url has one. ``None`` means stay: not enrolled, no url, or already on the variant's
page (same origin and path, whatever the query), so a page that redirects on every load never loops.

URLs are taken as browsers and servers hand them over, already percent-encoded: the TypeScript
helper reads them with the WHATWG URL parser, which also encodes raw spaces and non-ASCII text and
converts international host names, and this one does not."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import SplitResult, unquote_plus, urljoin, urlsplit

# The base a relative variant url and a relative current url are resolved against; never shown.
_LOCAL = "http://local.invalid"
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}


class _Enrolment(Protocol):
    @property
    def in_experiment(self) -> bool: ...

    @property
    def url(self) -> str | None: ...


def redirect_url(assignment: _Enrolment, current_url: str) -> str | None:
    """The URL to send the visitor to, or None when no redirect is needed. ``current_url`` may be
    absolute or relative (a request path such as ``/landing?utm_source=ads``); a relative one is taken
    to be on the variant url's site, and when both are relative the answer is relative too."""
    if not assignment.in_experiment or assignment.url is None:
        return None
    here = _absolute(current_url)
    variant = _absolute(assignment.url)
    if here is not None:
        page = here
    else:
        page = urlsplit(urljoin(_origin(variant) if variant is not None else _LOCAL, current_url))
    target = urlsplit(urljoin(page.geturl(), assignment.url))
    if _origin(target) == _origin(page) and _path(target) == _path(page):
        return None

    own = _pairs(target.query)
    own_names = {_name(p) for p in own}
    query = "&".join([*own, *(p for p in _pairs(page.query) if _name(p) not in own_names)])
    fragment = target.fragment or page.fragment
    tail = (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")
    if here is not None or variant is not None:
        return f"{_origin(target)}{_path(target)}{tail}"
    return f"{_path(target)}{tail}"


def _absolute(url: str) -> SplitResult | None:
    parts = urlsplit(url)
    return parts if parts.scheme else None


def _origin(parts: SplitResult) -> str:
    """scheme://host[:port] as the WHATWG URL serialises it: lowercase, without the default port."""
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return f"{scheme}://{host}"


def _path(parts: SplitResult) -> str:
    return parts.path or "/"


def _pairs(query: str) -> list[str]:
    """"a=1&&b" → ["a=1", "b"]: the pairs as written."""
    return [p for p in query.split("&") if p]


def _name(pair: str) -> str:
    """A pair's parameter name as application/x-www-form-urlencoded decodes it."""
    return unquote_plus(pair.split("=", 1)[0])
