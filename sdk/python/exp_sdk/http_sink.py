"""The SDK's sink to ``exp serve`` (``src/runtime/sdk/http-sink.ts``): exposures to
``POST /v1/exposures``, tracked events to ``POST /v1/events``, batched, from a daemon thread per
kind. Network errors, 408, 429 and 5xx are retried with exponential backoff and full jitter
(``Retry-After`` is a floor); another 4xx is reported and not retried. The server acknowledges only
what is fsynced, and every record carries its id, so a retry after a lost answer is a duplicate the
server ignores, never a second record. The queue is bounded: when full, the newest record is
dropped and reported. Standard library only."""

from __future__ import annotations

import json
import random as _random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Mapping

KINDS = ("exposures", "events", "identities")
# Where each kind is posted; the body is {kind: [records]}.
_PATHS = {"exposures": "/v1/exposures", "events": "/v1/events", "identities": "/v1/identify"}


@dataclass
class QueueStats:
    queued: int = 0
    """Waiting or being sent."""
    acknowledged: int = 0
    """Acknowledged by the server (durable there), duplicates included."""
    duplicates: int = 0
    """Acknowledged as already stored (a retry of a batch whose answer was lost, or a repeat)."""
    dropped: int = 0
    """Refused because the queue was full (or the sink closed)."""
    rejected: int = 0
    """Refused by the server (a 4xx other than 408 and 429, or one item of a batch)."""
    given_up: int = 0
    """Abandoned after the last retry."""
    retries: int = 0
    """Sends that failed and were tried again."""


@dataclass(frozen=True)
class _Outcome:
    ok: bool
    retry: bool = False
    message: str = ""
    duplicates: int = 0
    rejected: tuple[Mapping[str, Any], ...] = ()
    retry_after_s: float | None = None


def retry_delay_s(attempt: int, base_s: float, max_s: float, rand: Callable[[], float], floor_s: float | None = None) -> float:
    """The wait before retry ``attempt`` (1, 2, ...): a uniform draw from 0 up to the exponential
    cap ("full jitter"), so that clients that failed together do not retry together."""
    cap = min(max_s, base_s * 2 ** min(attempt - 1, 30))
    jittered = rand() * cap
    return jittered if floor_s is None else max(jittered, floor_s)


def retry_after_s(header: str | None, now_s: float) -> float | None:
    """``Retry-After`` as seconds from now: delay-seconds or an HTTP date; None when absent or unreadable."""
    if header is None:
        return None
    text = header.strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, parsedate_to_datetime(text).timestamp() - now_s)
    except (TypeError, ValueError):
        return None


class _SendQueue:
    """One kind of record on its way: a bounded FIFO sent in batches by one thread, one request at
    a time. A failed batch stays at the head and is sent again with the same records, so the same
    ids; what the server acknowledged leaves the queue, so nothing acknowledged is sent twice."""

    def __init__(self, kind: str, send: Callable[[list[Any]], _Outcome], o: HttpSink) -> None:
        self.kind = kind
        self.stats = QueueStats()
        self._send = send
        self._o = o
        self._items: list[Any] = []
        self._cond = threading.Condition()
        self._sending = False
        self._urgent = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"exp-sink-{kind}", daemon=True)
        self._thread.start()

    def push(self, item: Any) -> bool:
        with self._cond:
            if self._closed or len(self._items) >= self._o.max_queue:
                self.stats.dropped += 1
                dropped = True
            else:
                self._items.append(item)
                self.stats.queued = len(self._items)
                self._cond.notify_all()
                dropped = False
        if dropped and self._o.on_drop is not None:
            self._o.on_drop(self.kind, 1)
        return not dropped

    def flush(self, timeout_s: float | None) -> bool:
        """Waits until everything queued was acknowledged, rejected or given up; False on timeout."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._cond:
            self._urgent = True
            self._cond.notify_all()
            while self._items or self._sending:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def close(self, timeout_s: float | None) -> bool:
        flushed = self.flush(timeout_s)
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        return flushed

    def _next_batch(self) -> list[Any] | None:
        """Waits for a full batch, a flush, or the interval after the first record; None once closed and empty."""
        with self._cond:
            while not self._items:
                if self._closed:
                    return None
                self._cond.wait()
            deadline = time.monotonic() + self._o.flush_interval_s
            while len(self._items) < self._o.batch_size and not self._urgent and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._sending = True
            return self._items[: self._o.batch_size]

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            outcome = self._deliver(batch)
            report: list[tuple[str, int]] = []
            with self._cond:
                if not outcome.ok and outcome.retry:
                    self.stats.given_up += len(batch)
                    report.append((f"gave up after {self._o.max_attempts} attempts: {outcome.message}", len(batch)))
                elif not outcome.ok:
                    self.stats.rejected += len(batch)
                    report.append((f"refused: {outcome.message}", len(batch)))
                else:
                    self.stats.acknowledged += len(batch) - len(outcome.rejected)
                    self.stats.duplicates += outcome.duplicates
                    self.stats.rejected += len(outcome.rejected)
                    report += [(f"refused record {r.get('index')} of a batch: {r.get('error')}", 1) for r in outcome.rejected]
                del self._items[: len(batch)]
                self.stats.queued = len(self._items)
                self._sending = False
                if not self._items:
                    self._urgent = False
                self._cond.notify_all()
            if self._o.on_error is not None:
                for message, count in report:
                    self._o.on_error(self.kind, message, count)

    def _deliver(self, batch: list[Any]) -> _Outcome:
        """Sends one batch until it is answered for good or the attempts run out."""
        attempt = 0
        while True:
            try:
                outcome = self._send(batch)
            except Exception as err:  # noqa: BLE001 - a failed send is retried, whatever failed
                outcome = _Outcome(ok=False, retry=True, message=str(err))
            if outcome.ok or not outcome.retry:
                return outcome
            attempt += 1
            if attempt >= self._o.max_attempts:
                return outcome
            with self._cond:
                self.stats.retries += 1
            delay = retry_delay_s(attempt, self._o.base_delay_s, self._o.max_delay_s, self._o.random, outcome.retry_after_s)
            self._o.sleep(delay)


class HttpSink:
    """Pass it as ``exposures=`` and ``events=`` of a ``Client``; ``Client.close()`` flushes and closes it.

    ``url`` is the exp server (e.g. ``"http://127.0.0.1:8080"``); ``headers`` typically
    ``{"authorization": "Bearer <key with the ingest scope>"}``. ``on_drop(kind, count)`` is told
    about records dropped because the queue was full; ``on_error(kind, message, count)`` about
    records the server refused or that were given up after the last retry."""

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        max_queue: int = 10_000,
        batch_size: int = 500,
        flush_interval_s: float = 1.0,
        max_attempts: int = 10,
        base_delay_s: float = 0.2,
        max_delay_s: float = 30.0,
        request_timeout_s: float = 10.0,
        on_drop: Callable[[str, int], None] | None = None,
        on_error: Callable[[str, str, int], None] | None = None,
        random: Callable[[], float] = _random.random,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = url.rstrip("/")
        self.headers = dict(headers or {})
        self.max_queue = max_queue
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.max_attempts = max_attempts
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.request_timeout_s = request_timeout_s
        self.on_drop = on_drop
        self.on_error = on_error
        self.random = random
        self.sleep = sleep
        self._queues = {kind: _SendQueue(kind, self._poster(kind), self) for kind in KINDS}

    def exposure(self, record: Mapping[str, Any]) -> None:
        """Enqueues an exposure as the client logged it (only enqueues: it runs on the evaluation path)."""
        self._queues["exposures"].push(dict(record))

    def track(self, event: Mapping[str, Any]) -> None:
        """Enqueues an event as ``Client.track`` made it, with its ``eventId``."""
        self._queues["events"].push(dict(event))

    def identify(self, call: Mapping[str, Any]) -> None:
        """Enqueues an identify call as ``Client.identify`` made it, with its ``identifyId``."""
        self._queues["identities"].push(dict(call))

    def flush(self, timeout_s: float | None = None) -> bool:
        """Waits until everything queued so far is acknowledged, refused or given up; False on timeout."""
        return all([q.flush(timeout_s) for q in self._queues.values()])

    def close(self, timeout_s: float | None = None) -> bool:
        """Flushes, then drops (and reports) anything pushed afterwards."""
        return all([q.close(timeout_s) for q in self._queues.values()])

    def stats(self) -> dict[str, QueueStats]:
        return {kind: QueueStats(**vars(q.stats)) for kind, q in self._queues.items()}

    def _poster(self, kind: str) -> Callable[[list[Any]], _Outcome]:
        endpoint = f"{self.url}{_PATHS[kind]}"
        return lambda batch: self._post(endpoint, {kind: batch})

    def _post(self, endpoint: str, body: Any) -> _Outcome:
        data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8", "surrogatepass")
        request = urllib.request.Request(
            endpoint, data=data, method="POST", headers={"content-type": "application/json", **self.headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.request_timeout_s) as res:
                status, text = res.status, res.read()
        except urllib.error.HTTPError as err:
            status, text, retry_after = err.code, err.read(), err.headers.get("retry-after")
            err.close()
            answer = _json(text)
            message = f'"{endpoint}" answered {status}' + (f": {answer['error']}" if isinstance(answer.get("error"), str) else "")
            if status in (408, 429) or status >= 500:
                return _Outcome(ok=False, retry=True, message=message, retry_after_s=retry_after_s(retry_after, time.time()))
            return _Outcome(ok=False, retry=False, message=message)
        except (urllib.error.URLError, OSError) as err:
            return _Outcome(ok=False, retry=True, message=f'cannot reach "{endpoint}" ({getattr(err, "reason", err)})')
        answer = _json(text)
        rejected = answer.get("rejected")
        duplicates = answer.get("duplicates")
        return _Outcome(
            ok=200 <= status < 300,
            message=f'"{endpoint}" answered {status}',
            duplicates=duplicates if isinstance(duplicates, int) else 0,
            rejected=tuple(r for r in rejected if isinstance(r, dict)) if isinstance(rejected, list) else (),
        )


def _json(text: bytes) -> dict[str, Any]:
    """The answer's JSON object; empty for a proxy's HTML error page, whose status says what happened."""
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
