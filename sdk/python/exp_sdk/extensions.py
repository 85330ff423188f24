"""Where exposure logging, ``track`` and the ruleset stream plug in.

The Node SDK logs exposures (once per unit x experiment x phase, on_assignment at ``assign``,
on_view at ``exposed()``) and sends them and tracked events through its HTTP sink, with the
batching, retry and id rules of docs/runtime.md ("Exposures and events") and docs/http-api.md
("From an SDK"). What remains here: an HTTP sink implementing those rules behind these
interfaces, the bounded dedup, and exposures from flags served by experiment rules. Until then a
client can be given sinks of its own (``Client.assign`` already skips on_view experiments, which
``Client.exposed`` confirms), and ``Client.install`` is what a push source (the SSE stream of
``exp serve``) calls with each ruleset it receives.
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol

from .results import Assignment


class ExposureSink(Protocol):
    """Receives every assignment that enrolled a unit, as ``Client.assign`` returns it."""

    def exposure(self, assignment: Assignment, attributes: Mapping[str, Any]) -> None: ...

    def flush(self) -> None: ...


class EventSink(Protocol):
    """Receives the events passed to ``Client.track``."""

    def track(self, unit: str, event: str, properties: Mapping[str, Any], at: float) -> None: ...

    def flush(self) -> None: ...


class RulesetSource(Protocol):
    """Delivers rulesets to a client by calling ``client.install(text)``; started by the client,
    stopped by ``Client.close``. The HTTP poller is one; an SSE stream would be another."""

    def start(self) -> None: ...

    def stop(self) -> None: ...
