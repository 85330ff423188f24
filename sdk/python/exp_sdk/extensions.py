"""Where exposure logging, ``track`` and the ruleset stream plug in.

The client logs exposures (``exposures.py``: once per unit x experiment x phase; on_assignment at
``assign`` and when a flag rule of kind ``experiment`` serves, on_view at ``exposed``) and hands
them, and the events of ``track``, to its sinks as the records ``exp serve`` ingests
(docs/http-api.md, "From an SDK" and "Events"). ``HttpSink`` (``http_sink.py``) is the sink that
sends them, with the batching, retry and id rules of the Node SDK; a client can be given sinks of
its own. ``Client.install`` is what a push source (the SSE stream of ``exp serve``) calls with each
ruleset it receives.
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol



class ExposureSink(Protocol):
    """Receives each exposure the client logs, as ``POST /v1/exposures`` takes it: ``exposureId``,
    ``experimentKey``, ``userId``, ``variant``, ``phase``, ``rulesetVersion``, ``ts``. It runs on the
    evaluation path, so it should only enqueue."""

    def exposure(self, record: Mapping[str, Any]) -> None: ...

    def flush(self) -> None: ...


class EventSink(Protocol):
    """Receives the events of ``Client.track``, as ``POST /v1/events`` takes them: ``eventId`` (made
    by the client, so that a retry is never a second event), ``userId``, ``eventName``, ``ts``, and
    ``value``, ``properties``, ``sessionId`` when given. A sink that also has ``identify(call)``
    receives ``Client.identify``'s calls, as ``POST /v1/identify`` takes them: ``identifyId``,
    ``anonymousId``, ``userId``, ``ts``."""

    def track(self, event: Mapping[str, Any]) -> None: ...

    def flush(self) -> None: ...


class RulesetSource(Protocol):
    """Delivers rulesets to a client by calling ``client.install(text)``; started by the client,
    stopped by ``Client.close``. The HTTP poller is one; an SSE stream would be another."""

    def start(self) -> None: ...

    def stop(self) -> None: ...
