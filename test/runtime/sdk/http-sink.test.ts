import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHttpSink } from "../../../src/runtime/sdk/http-sink.js";
import { retryAfterMs, retryDelay } from "../../../src/runtime/sdk/backoff.js";
import type { TrackedEvent } from "../../../src/runtime/sdk/wire.js";
import { ManualTimers, settle } from "./fake-timers.js";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A transport that answers from a script and records every request body. */
function transport(script: (n: number, body: Record<string, unknown[]>) => Reply) {
  const requests: { url: string; body: Record<string, unknown[]> }[] = [];
  const fetchFn = (async (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as Record<string, unknown[]>;
    requests.push({ url, body });
    const r = script(requests.length, body);
    if (r instanceof Error) throw r;
    return new Response(JSON.stringify(r.body ?? { accepted: 1, duplicates: 0 }), { status: r.status, headers: r.headers });
  }) as unknown as typeof fetch;
  return { fetchFn, requests };
}

const event = (i: number): TrackedEvent => ({ eventId: `e${i}`, userId: `u${i}`, eventName: "purchase", ts: "2026-12-10T00:00:00.000Z" });

describe("the HTTP sink", () => {
  test("batches by size, and sends a partial batch when the interval fires", async () => {
    const timers = new ManualTimers();
    const t = transport(() => ({ status: 202 }));
    const sink = createHttpSink({ url: "http://x/", fetch: t.fetchFn, timers, batchSize: 3, flushIntervalMs: 1000 });
    for (let i = 0; i < 4; i++) sink.track(event(i));
    await settle();
    assert.equal(t.requests.length, 1);
    assert.equal(t.requests[0]!.url, "http://x/v1/events");
    assert.deepEqual(
      t.requests[0]!.body.events!.map((e) => (e as TrackedEvent).eventId),
      ["e0", "e1", "e2"],
    );
    assert.equal(timers.fireAll(), 1);
    await settle();
    assert.deepEqual(
      t.requests[1]!.body.events!.map((e) => (e as TrackedEvent).eventId),
      ["e3"],
    );
    assert.equal(sink.stats().events.acknowledged, 4);
    await sink.close();
    assert.equal(timers.armed, 0);
  });

  test("retries network errors, 429 and 5xx with the same ids, and flush waits for the acknowledgement", async () => {
    const timers = new ManualTimers();
    const replies: Reply[] = [
      new Error("ECONNREFUSED"),
      { status: 503 },
      { status: 429, headers: { "retry-after": "7" } },
      { status: 202 },
    ];
    const t = transport((n) => replies[n - 1]!);
    const sink = createHttpSink({ url: "http://x", fetch: t.fetchFn, timers, random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000 });
    sink.track(event(1));
    sink.track(event(2));
    let flushed = false;
    const flushing = sink.flush().then(() => (flushed = true));
    for (let i = 0; i < 3; i++) {
      await settle();
      assert.equal(flushed, false);
      assert.equal(timers.fireAll(), 1);
    }
    await flushing;
    assert.equal(t.requests.length, 4);
    for (const r of t.requests)
      assert.deepEqual(
        r.body.events!.map((e) => (e as TrackedEvent).eventId),
        ["e1", "e2"],
      );
    // Full jitter at 0.5 of 100, 200; then Retry-After: 7 s is the floor.
    assert.deepEqual(timers.delays.slice(-3), [50, 100, 7000]);
    assert.deepEqual(sink.stats().events, { queued: 0, acknowledged: 2, duplicates: 0, dropped: 0, rejected: 0, givenUp: 0, retries: 3 });
  });

  test("another 4xx is reported and not retried; the last attempt gives up and reports", async () => {
    const timers = new ManualTimers();
    const errors: string[] = [];
    const t = transport((n) => (n === 1 ? { status: 400, body: { error: `"userId" is required` } } : { status: 500 }));
    const sink = createHttpSink({
      url: "http://x",
      fetch: t.fetchFn,
      timers,
      maxAttempts: 2,
      onError: (kind, m, n) => errors.push(`${kind} ${n} ${m}`),
    });
    sink.track(event(1));
    await sink.flush();
    assert.equal(t.requests.length, 1);
    sink.track(event(2));
    const flushing = sink.flush();
    await settle();
    timers.fireAll();
    await flushing;
    assert.equal(t.requests.length, 3);
    assert.match(errors[0]!, /^events 1 refused with 400: "http:\/\/x\/v1\/events" answered 400: "userId" is required$/);
    assert.match(errors[1]!, /^events 1 gave up after 2 attempts: .*answered 500/);
    const s = sink.stats().events;
    assert.deepEqual([s.rejected, s.givenUp, s.acknowledged], [1, 1, 0]);
  });

  test("a full queue drops the newest records and reports them", async () => {
    const timers = new ManualTimers();
    const drops: number[] = [];
    const t = transport(() => ({ status: 202 }));
    const sink = createHttpSink({ url: "http://x", fetch: t.fetchFn, timers, maxQueue: 2, batchSize: 10, onDrop: (_, n) => drops.push(n) });
    for (let i = 0; i < 5; i++) sink.track(event(i));
    assert.deepEqual(drops, [1, 1, 1]);
    await sink.close();
    assert.deepEqual(
      t.requests[0]!.body.events!.map((e) => (e as TrackedEvent).eventId),
      ["e0", "e1"],
    );
    assert.equal(sink.stats().events.dropped, 3);
    // Closed: nothing more is accepted.
    sink.track(event(9));
    assert.equal(sink.stats().events.dropped, 4);
  });

  test("records the server refuses one by one inside an acknowledged batch are counted and reported", async () => {
    const errors: string[] = [];
    const t = transport(() => ({ status: 202, body: { accepted: 1, duplicates: 0, rejected: [{ index: 1, error: "variant mismatch" }] } }));
    const sink = createHttpSink({ url: "http://x", fetch: t.fetchFn, timers: new ManualTimers(), onError: (_, m) => errors.push(m) });
    for (const id of ["a", "b"])
      sink.exposure({
        exposureId: id,
        experimentKey: "x",
        userId: id,
        variant: "v",
        phase: 1,
        rulesetVersion: 1,
        ts: "2026-12-10T00:00:00.000Z",
      });
    await sink.flush();
    assert.equal(t.requests[0]!.url, "http://x/v1/exposures");
    assert.deepEqual([sink.stats().exposures.acknowledged, sink.stats().exposures.rejected], [1, 1]);
    assert.deepEqual(errors, ["refused record 1 of a batch: variant mismatch"]);
  });

  test("its timers never hold a process open on their own, but one a flush waits on does", async () => {
    const handles: { refs: number; unrefs: number; fn: () => void }[] = [];
    const timers = {
      setTimeout: (fn: () => void) => {
        const h = { refs: 0, unrefs: 0, fn, ref: () => void h.refs++, unref: () => void h.unrefs++ };
        handles.push(h);
        return h;
      },
      clearTimeout: () => {},
    };
    const t = transport((n) => (n === 1 ? { status: 503 } : { status: 202 }));
    const sink = createHttpSink({ url: "http://x", fetch: t.fetchFn, timers, batchSize: 10 });
    sink.track(event(1));
    assert.deepEqual([handles.length, handles[0]!.unrefs, handles[0]!.refs], [1, 1, 0]);
    const flushing = sink.flush();
    await settle();
    // The retry after the 503 is awaited: its timer is not unref'd.
    assert.deepEqual([handles.length, handles[1]!.unrefs], [2, 0]);
    handles[1]!.fn();
    await flushing;
    assert.equal(sink.stats().events.acknowledged, 1);
  });

  test("backoff: full jitter under a doubling cap, Retry-After as seconds or a date", () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 40].map((a) => retryDelay(a, o)),
      [99, 199, 399, 799, 999, 999],
    );
    assert.equal(retryDelay(3, { ...o, random: () => 0 }), 0);
    assert.equal(retryDelay(1, o, 5000), 5000);
    const now = Date.parse("2026-12-10T00:00:00Z");
    assert.equal(retryAfterMs("3", now), 3000);
    assert.equal(retryAfterMs("Thu, 10 Dec 2026 00:00:02 GMT", now), 2000);
    assert.equal(retryAfterMs("soon", now), undefined);
    assert.equal(retryAfterMs(null, now), undefined);
  });
});
