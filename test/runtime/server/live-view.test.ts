import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import type { LiveGuard, LiveMetricRow } from "../../../src/runtime/server/live-view/providers.js";
import type { LiveSnapshot } from "../../../src/runtime/server/live-view/snapshot.js";
import { serverSentEvents } from "../../../src/runtime/ruleset-stream.js";
import { loopbackServer, smallRuleset, storeOptions } from "./fixture.js";
import { waitUntil } from "../../helpers/wait.js";

const KEYS = { analyst: "k-analyst-123", admin: "k-admin-456", client: "k-client-789" };
const TOKEN_TTL_MS = 60_000;

/** Reads a stream's snapshot events as they come; `close` aborts it. */
function follow(res: Response, abort: AbortController): { events: LiveSnapshot[]; done: Promise<void>; close(): void } {
  const events: LiveSnapshot[] = [];
  const decoder = new TextDecoder();
  const text = (async function* () {
    for await (const chunk of res.body!) yield decoder.decode(chunk as Uint8Array, { stream: true });
  })();
  const done = (async () => {
    try {
      for await (const e of serverSentEvents(text)) {
        assert.equal(e.event, "snapshot");
        events.push(JSON.parse(e.data) as LiveSnapshot);
      }
    } catch (err) {
      if ((err as Error).name !== "AbortError") throw err;
    }
  })();
  return { events, done, close: () => abort.abort() };
}

describe("the live view's data: GET /v1/live/snapshot, POST /v1/live/token and GET /v1/live/stream", () => {
  let srv: RunningServer;
  let dir: string;
  let now = Date.parse("2026-11-10T12:00:00Z");
  const guards: LiveGuard[] = [];
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const token = async (key: string) => {
    const res = await fetch(`${srv.url}/v1/live/token`, { method: "POST", headers: auth(key) });
    assert.equal(res.status, 200);
    return (await res.json()) as { token: string; expiresAt: string };
  };
  const snapshot = async () => {
    const res = await fetch(`${srv.url}/v1/live/snapshot`, { headers: auth(KEYS.analyst) });
    assert.equal(res.status, 200);
    return (await res.json()) as LiveSnapshot;
  };
  const assign = async (userId: string) => {
    const res = await fetch(`${srv.url}/v1/assignments`, {
      method: "POST",
      headers: auth(KEYS.client),
      body: JSON.stringify({ experimentKey: "checkout_redesign", userId, context: { country: "US" } }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { variant: string }).variant;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-live-view-"));
    srv = await startServer(
      {
        ...storeOptions(join(dir, "published")),
        dataDir: join(dir, "data"),
        keys: [
          { name: "analyst", sha256: sha256Hex(KEYS.analyst), scopes: ["reports:read"] },
          { name: "admin", sha256: sha256Hex(KEYS.admin), scopes: ["ruleset:write"] },
          { name: "client", sha256: sha256Hex(KEYS.client), scopes: ["evaluate"] },
        ],
        tokenSecret: randomBytes(32),
        clock: () => now,
        liveView: { providers: { guards: () => guards }, pushEveryMs: 20, sampleEveryMs: 10_000, samples: 3, tokenTtlMs: TOKEN_TTL_MS },
      },
      0,
    );
    const put = await fetch(`${srv.url}/v1/ruleset`, {
      method: "PUT",
      headers: { ...auth(KEYS.admin), "if-none-match": "*" },
      body: JSON.stringify(smallRuleset(1)),
    });
    assert.equal(put.status, 200);
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the snapshot and the token need a reports:read key", async () => {
    for (const [method, path] of [
      ["GET", "/v1/live/snapshot"],
      ["POST", "/v1/live/token"],
    ] as const) {
      assert.equal((await fetch(`${srv.url}${path}`, { method })).status, 401, path);
      assert.equal((await fetch(`${srv.url}${path}`, { method, headers: auth(KEYS.client) })).status, 403, path);
    }
    assert.equal(existsSync(join(dir, "data", "access-log.ndjson")), false, "a refused read is not a read");
    await snapshot();
    const lines = readFileSync(join(dir, "data", "access-log.ndjson"), "utf8")
      .trim()
      .split("\n");
    assert.equal(lines.length, 1, "a snapshot read is recorded in the access log");
    assert.deepEqual(JSON.parse(lines[0]!), {
      ts: "2026-11-10T12:00:00.000Z",
      key: "analyst",
      read: "live-view",
      experiment: "*",
    });
  });

  test("shows the served ruleset, its experiments with exposures per variant and SRM, its flags and the audit tail", async () => {
    const planted: Record<string, number> = { control: 0, one_page: 0 };
    for (let i = 0; i < 30; i++) planted[await assign(`u${i}`)]!++;
    const s = await snapshot();
    assert.deepEqual(s.ruleset, { version: 1, checksum: smallRuleset(1).checksum, createdAt: "2026-11-01T00:00:00.000Z" });
    assert.equal(s.generatedAt, new Date(now).toISOString());
    const e = s.experiments.find((x) => x.key === "checkout_redesign")!;
    assert.equal(e.status, "running");
    assert.deepEqual(
      e.variants.map((v) => [v.key, v.weight, v.units, v.exposures]),
      [
        ["control", 0.5, planted.control, planted.control],
        ["one_page", 0.5, planted.one_page, planted.one_page],
      ],
    );
    assert.equal(e.srm.threshold, 0.001);
    assert.equal(e.srm.ok, true);
    assert.ok(e.srm.chi2 >= 0 && e.srm.p > 0 && e.srm.p <= 1);
    assert.deepEqual(s.flags, [{ key: "new_search", enabled: true, default: "off", rules: [] }]);
    assert.equal(s.audit.length, 1);
    assert.equal(s.audit[0]!.toVersion, 1);
    assert.equal(s.audit[0]!.action, "apply");
    assert.equal(s.audit[0]!.actor, 'exp serve key "admin"');
    assert.deepEqual(s.metrics, [], "no statistics provider: no rows");
    assert.equal(s.metricsAvailable, false);
  });

  test("samples exposures over time by the server's clock, keeping only the last samples", async () => {
    const before = (await snapshot()).experiments[0]!.series;
    assert.equal(before.length, 1, "one sample (at start) until the interval has passed on the server's clock");
    assert.deepEqual(before[0]!.units, { control: 0, one_page: 0 });
    await assign("late_1");
    now += 10_000;
    const later = (await snapshot()).experiments[0]!.series;
    assert.equal(later.length, 2);
    assert.equal(later[1]!.at, new Date(now).toISOString());
    const total = (x: { units: Record<string, number> }) => Object.values(x.units).reduce((a, b) => a + b, 0);
    assert.equal(total(later[1]!), 31, "the 30 planted units and the late one");
    now += 10_000;
    await snapshot();
    now += 10_000;
    const kept = (await snapshot()).experiments[0]!.series;
    assert.equal(kept.length, 3, "bounded to the configured number of samples");
    assert.equal(kept[2]!.at, new Date(now).toISOString());
  });

  test("the stream opens with a token (not a key in the URL), sends a snapshot at once, and each change", async () => {
    assert.equal((await fetch(`${srv.url}/v1/live/stream`)).status, 401, "no token");
    const { token: t, expiresAt } = await token(KEYS.analyst);
    assert.equal(expiresAt, new Date(now + TOKEN_TTL_MS).toISOString());
    const forged = t.slice(0, -2) + (t.endsWith("AA") ? "BB" : "AA");
    assert.equal((await fetch(`${srv.url}/v1/live/stream?token=${forged}`)).status, 401, "a forged token");
    assert.equal((await fetch(`${srv.url}/v1/live/stream?token=${KEYS.analyst}`)).status, 401, "a key is not a token");

    const abort = new AbortController();
    const res = await fetch(`${srv.url}/v1/live/stream?token=${encodeURIComponent(t)}`, { signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
    const stream = follow(res, abort);
    try {
      assert.ok(await waitUntil(() => stream.events.length >= 1), "a snapshot on connect");
      assert.deepEqual(stream.events[0]!.guards, []);

      guards.push({ target: "flag", key: "new_search", rule: "ramp", state: "breached", action: "rollback", metrics: ["checkout_errors"] });
      assert.ok(await waitUntil(() => stream.events.some((e) => e.guards.some((g) => g.state === "breached"))), "the breach is pushed");
      const pushed = stream.events.length;
      const put = await fetch(`${srv.url}/v1/ruleset`, { method: "PUT", headers: auth(KEYS.admin), body: JSON.stringify(smallRuleset(2)) });
      assert.equal(put.status, 200);
      assert.ok(await waitUntil(() => stream.events.some((e) => e.ruleset?.version === 2)), "a new ruleset is pushed");
      const last = stream.events[stream.events.length - 1]!;
      assert.equal(last.audit[0]!.toVersion, 2, "with its audit record first");
      assert.ok(stream.events.length > pushed);
    } finally {
      stream.close();
      await stream.done;
      guards.length = 0;
    }
  });

  test("a stream opened with a token ends when the token expires, so the page must ask again with its key", async () => {
    const { token: t } = await token(KEYS.analyst);
    const abort = new AbortController();
    const res = await fetch(`${srv.url}/v1/live/stream?token=${encodeURIComponent(t)}`, { signal: abort.signal });
    assert.equal(res.status, 200);
    const stream = follow(res, abort);
    let ended = false;
    void stream.done.then(() => (ended = true));
    try {
      assert.ok(await waitUntil(() => stream.events.length >= 1));
      now += TOKEN_TTL_MS;
      guards.push({ target: "experiment", key: "checkout_redesign", state: "watching", action: "pause", metrics: [] });
      assert.ok(await waitUntil(() => ended), "the server ended the stream");
      assert.equal(stream.events.length, 1, "nothing was pushed after the expiry");
    } finally {
      stream.close();
      await stream.done;
      guards.length = 0;
    }
  });

  test("an expired token is refused; a reports:read key in the Authorization header also opens the stream", async () => {
    const { token: t } = await token(KEYS.analyst);
    now += TOKEN_TTL_MS;
    assert.equal((await fetch(`${srv.url}/v1/live/stream?token=${encodeURIComponent(t)}`)).status, 401);
    assert.equal((await fetch(`${srv.url}/v1/live/stream`, { headers: auth(KEYS.client) })).status, 403);
    const abort = new AbortController();
    const res = await fetch(`${srv.url}/v1/live/stream`, { headers: auth(KEYS.analyst), signal: abort.signal });
    assert.equal(res.status, 200);
    abort.abort();
  });
});

describe("the live view without authentication, on loopback", () => {
  let srv: RunningServer;
  let dir: string;
  const rows: LiveMetricRow[] = [
    {
      experiment: "checkout_redesign",
      metric: "conversion",
      role: "primary",
      variant: "control",
      units: 10,
      mean: 0.1,
      lift: null,
      lower: null,
      upper: null,
    },
    {
      experiment: "checkout_redesign",
      metric: "conversion",
      role: "primary",
      variant: "one_page",
      units: 12,
      mean: 0.2,
      lift: 1,
      lower: -0.5,
      upper: 2.5,
    },
  ];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-live-view-open-"));
    srv = await loopbackServer(dir, smallRuleset(1), {
      liveView: {
        providers: { metrics: () => rows, srm: () => ({ chi2: 12.5, p: 0.0004, threshold: 0.01, ok: false }) },
        pushEveryMs: 20,
      },
    });
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the stream, the token and the snapshot need no key, and the providers' statistics and SRM are shown", async () => {
    assert.equal((await fetch(`${srv.url}/v1/live/token`, { method: "POST" })).status, 200);
    const abort = new AbortController();
    const res = await fetch(`${srv.url}/v1/live/stream`, { signal: abort.signal });
    assert.equal(res.status, 200);
    const stream = follow(res, abort);
    try {
      assert.ok(await waitUntil(() => stream.events.length >= 1));
      const s = stream.events[0]!;
      assert.equal(s.metricsAvailable, true);
      assert.deepEqual(s.metrics, rows);
      assert.deepEqual(s.experiments[0]!.srm, { chi2: 12.5, p: 0.0004, threshold: 0.01, ok: false });
    } finally {
      stream.close();
      await stream.done;
    }
  });
});
