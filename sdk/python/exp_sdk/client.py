"""The in-process SDK (``src/runtime/client.ts``): evaluates from a ruleset given directly, read
from a file, or polled from ``GET /v1/ruleset`` of an exp server with ETag / If-None-Match. Every
ruleset is verified (schema essentials, checksum, references) before use; a failed fetch or a
ruleset that does not verify keeps the last good one serving."""

from __future__ import annotations

import math
import re
import threading
import urllib.error
import uuid
import urllib.request
from typing import Any, Callable, Mapping

from .errors import FETCH_FAILED, Diagnostic, RulesetLoadError
from .evaluator import Evaluator, UnitRef, _ms, create_evaluator
from .exposures import iso_time, logger_source
from .extensions import EventSink, ExposureSink, RulesetSource
from .results import Assignment, EvaluateAllResult, FlagResult
from .verify import verify_ruleset

DEFAULT_POLL_INTERVAL_S = 30.0


def _load(source: Any) -> Evaluator:
    ruleset, diagnostics = verify_ruleset(source)
    if ruleset is None:
        raise RulesetLoadError(diagnostics)
    return create_evaluator(ruleset)


class Client:
    """Use ``Client.from_ruleset``, ``Client.from_file`` or ``Client.from_url``."""

    def __init__(
        self,
        evaluator: Evaluator,
        *,
        now: Callable[[], float] | None = None,
        on_error: Callable[[list[Diagnostic]], None] | None = None,
        on_update: Callable[[Mapping[str, Any]], None] | None = None,
        exposures: ExposureSink | None = None,
        events: EventSink | None = None,
        exposure_dedup_size: int = 10_000,
    ) -> None:
        self._evaluator = evaluator
        self._now = now
        self._on_error = on_error
        self._on_update = on_update
        self._exposures = exposures
        self._events = events
        self._logger_for = logger_source(exposures, exposure_dedup_size)
        self._source: RulesetSource | None = None
        self._fetch: Callable[[], Evaluator | None] | None = None
        self._refresh_lock = threading.Lock()
        self.last_error: list[Diagnostic] | None = None

    # Loading ---------------------------------------------------------------------------------

    @classmethod
    def from_ruleset(cls, ruleset: Mapping[str, Any] | str | bytes, **options: Any) -> Client:
        return cls(_load(ruleset), **options)

    @classmethod
    def from_file(cls, path: str, **options: Any) -> Client:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as err:
            reason = err.strerror or type(err).__name__
            raise RulesetLoadError(
                [Diagnostic(FETCH_FAILED, f'Cannot read the ruleset file "{path}" ({reason}); check the path.')]
            ) from err
        return cls(_load(text), **options)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        poll_interval_s: float = DEFAULT_POLL_INTERVAL_S,
        headers: Mapping[str, str] | None = None,
        timeout_s: float = 10.0,
        **options: Any,
    ) -> Client:
        """Fetches the first ruleset now (raising RulesetLoadError if there is none to be had), then
        polls every ``poll_interval_s`` seconds in a daemon thread (0 turns polling off)."""
        endpoint = url if re.search(r"/v1/ruleset/?$", url) else url.rstrip("/") + "/v1/ruleset"
        fetcher = _Fetcher(endpoint, dict(headers or {}), timeout_s)
        first = fetcher()
        if first is None:
            raise RulesetLoadError([Diagnostic(FETCH_FAILED, f'"{endpoint}" answered 304 to the first request.')])
        client = cls(first, **options)
        client._fetch = fetcher
        if poll_interval_s > 0:
            client.attach(_Poller(client, poll_interval_s))
        return client

    def attach(self, source: RulesetSource) -> None:
        """Starts a source that pushes rulesets through ``install`` (stopped by ``close``)."""
        if self._source is not None:
            self._source.stop()
        self._source = source
        source.start()

    def install(self, source: Mapping[str, Any] | str | bytes) -> bool:
        """Verifies a ruleset and, when it is new, serves it from now on. A ruleset that does not
        verify is reported through ``on_error`` and ``last_error``; the last good one keeps serving."""
        try:
            next_evaluator = _load(source)
        except RulesetLoadError as err:
            self._failed(err.diagnostics)
            return False
        return self._replace(next_evaluator)

    def refresh(self) -> bool:
        """Fetches now (``from_url`` clients); True when a new ruleset was installed."""
        if self._fetch is None:
            return False
        with self._refresh_lock:
            try:
                next_evaluator = self._fetch()
            except RulesetLoadError as err:
                self._failed(err.diagnostics)
                return False
            except Exception as err:  # noqa: BLE001 - whatever goes wrong, the last good ruleset keeps serving
                self._failed([Diagnostic(FETCH_FAILED, f"Fetching the ruleset failed ({err}); the last good ruleset keeps serving.")])
                return False
            self.last_error = None
            return next_evaluator is not None and self._replace(next_evaluator)

    def flush(self) -> None:
        """Waits until the sinks have delivered what they hold (``HttpSink``: acknowledged, refused or given up)."""
        for sink in self._sinks():
            sink.flush()

    def close(self) -> None:
        """Stops polling (or any attached source), then closes the sinks (flushing them first);
        a sink passed as both ``exposures`` and ``events`` is closed once."""
        if self._source is not None:
            self._source.stop()
            self._source = None
        for sink in self._sinks():
            close = getattr(sink, "close", None)
            close() if callable(close) else sink.flush()

    def _sinks(self) -> list[Any]:
        sinks: list[Any] = []
        for sink in (self._exposures, self._events):
            if sink is not None and all(sink is not s for s in sinks):
                sinks.append(sink)
        return sinks

    def _replace(self, next_evaluator: Evaluator) -> bool:
        self.last_error = None
        if next_evaluator.ruleset["checksum"] == self._evaluator.ruleset["checksum"]:
            return False
        self._evaluator = next_evaluator
        if self._on_update is not None:
            self._on_update(next_evaluator.ruleset)
        return True

    def _failed(self, diagnostics: list[Diagnostic]) -> None:
        self.last_error = diagnostics
        if self._on_error is not None:
            self._on_error(diagnostics)

    # Evaluation ------------------------------------------------------------------------------

    @property
    def ruleset(self) -> Mapping[str, Any]:
        return self._evaluator.ruleset

    def _at(self) -> float:
        return _ms(None if self._now is None else self._now())

    def assign(self, experiment: str, unit: UnitRef, attributes: Mapping[str, Any] | None = None) -> Assignment:
        """Logs the exposure of an enrolled unit when its experiment is ``exposure: on_assignment``
        (the default), once per unit x experiment x phase; for ``on_view`` call ``exposed`` when the
        variant is shown."""
        at = self._at()
        evaluator = self._evaluator
        result = evaluator.assign(experiment, unit, attributes, at)
        logger = self._logger_for(evaluator)
        if logger is not None:
            logger.assigned(result, at, unit)
        return result

    def exposed(
        self, assignment: Assignment, attributes: Mapping[str, Any] | None = None, *, unit: UnitRef | None = None
    ) -> None:
        """Confirms an ``on_view`` exposure now (the time the unit saw the variant); logged once per
        unit x experiment x phase, and a no-op for a unit not enrolled or without an exposure sink.
        For a session experiment pass ``unit={"userId", "sessionId"}`` so the exposure names the user."""
        logger = self._logger_for(self._evaluator)
        if logger is not None:
            logger.exposed(assignment, self._at(), unit)

    def evaluate(
        self, flag: str, unit: UnitRef, attributes: Mapping[str, Any] | None = None, *, log_exposure: bool = True
    ) -> FlagResult:
        """A value served by a rule of kind ``experiment`` over an on_assignment experiment logs the
        unit's exposure to it, as ``assign`` would (``log_exposure=False`` evaluates only)."""
        at = self._at()
        evaluator = self._evaluator
        result = evaluator.evaluate(flag, unit, attributes, at)
        logger = self._logger_for(evaluator) if log_exposure and result.reason == "experiment" else None
        if logger is not None:
            logger.flag_served(result, unit, attributes, at)
        return result

    def evaluate_all(self, unit: UnitRef, attributes: Mapping[str, Any] | None = None) -> EvaluateAllResult:
        return self._evaluator.evaluate_all(unit, attributes, self._at())

    def track(
        self,
        unit: str,
        event: str,
        properties: Mapping[str, Any] | None = None,
        *,
        value: float | None = None,
        session_id: str | None = None,
        ts: float | None = None,
        event_id: str | None = None,
    ) -> str:
        """Hands an event to the ``events`` sink with an id made now, so that retries never
        duplicate it; ``ts`` (ms since the epoch) defaults to the client's clock. Returns the id."""
        if self._events is None:
            raise RuntimeError(f'Cannot track "{event}": this client has no event sink; pass events= to the client.')
        if not isinstance(unit, str) or unit == "":
            raise TypeError("track() needs the unit id as a non-empty string.")
        if not isinstance(event, str) or event == "":
            raise TypeError("track() needs the event name as a non-empty string.")
        if value is not None and not _finite_number(value):
            raise TypeError(f'The value of event "{event}" must be a finite number.')
        record: dict[str, Any] = {
            "eventId": event_id if event_id is not None else str(uuid.uuid4()),
            "userId": unit,
            "eventName": event,
            "ts": iso_time(self._at() if ts is None else ts),
        }
        if value is not None:
            record["value"] = value
        if properties is not None:
            record["properties"] = dict(properties)
        if session_id is not None:
            record["sessionId"] = session_id
        self._events.track(record)
        return record["eventId"]

    def identify(self, anonymous_id: str, user_id: str) -> str:
        """Records that the visitor ``anonymous_id`` logged in as ``user_id`` (docs/analysis.md,
        identity stitching), through the ``events`` sink's ``identify``, with an id made now so that
        retries never duplicate it. Returns the id."""
        identify = getattr(self._events, "identify", None)
        if not callable(identify):
            raise RuntimeError("Cannot identify: this client has no event sink that takes identify calls; pass events=HttpSink(...).")
        for name, v in (("anonymous_id", anonymous_id), ("user_id", user_id)):
            if not isinstance(v, str) or v == "":
                raise TypeError(f"identify() needs {name} as a non-empty string.")
        if anonymous_id == user_id:
            raise TypeError(f'identify() maps an anonymous id to another id; "{user_id}" was given as both.')
        call = {"identifyId": str(uuid.uuid4()), "anonymousId": anonymous_id, "userId": user_id, "ts": iso_time(self._at())}
        identify(call)
        return call["identifyId"]

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _finite_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class _Fetcher:
    """One conditional GET of the ruleset: the new evaluator, or None for 304 Not Modified."""

    def __init__(self, endpoint: str, headers: dict[str, str], timeout_s: float) -> None:
        self.endpoint = endpoint
        self.headers = headers
        self.timeout_s = timeout_s
        self.etag: str | None = None

    def __call__(self) -> Evaluator | None:
        headers = {"accept": "application/json", **self.headers}
        if self.etag:
            headers["if-none-match"] = self.etag
        request = urllib.request.Request(self.endpoint, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as res:
                body = res.read()
                etag = res.headers.get("etag")
        except urllib.error.HTTPError as err:
            err.close()
            if err.code == 304:
                return None
            raise RulesetLoadError(
                [Diagnostic(FETCH_FAILED, f'"{self.endpoint}" answered {err.code}; the last good ruleset keeps serving.')]
            ) from err
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise RulesetLoadError(
                [Diagnostic(FETCH_FAILED, f'Cannot reach "{self.endpoint}" ({reason}); the last good ruleset keeps serving.')]
            ) from err
        evaluator = _load(body)
        self.etag = etag
        return evaluator


class _Poller:
    """Calls ``client.refresh()`` every interval from a daemon thread (it never keeps a process alive)."""

    def __init__(self, client: Client, interval_s: float) -> None:
        self._client = client
        self._interval_s = interval_s
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="exp-ruleset-poller", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        while not self._stopped.wait(self._interval_s):
            self._client.refresh()
