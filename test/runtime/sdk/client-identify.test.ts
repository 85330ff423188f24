// client.identify() through the HTTP sink to a real server in this process: the calls are batched to
// POST /v1/identify, stored once even when a lost answer makes the sink send them again, and
// compacted into the identities table.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "../../../src/runtime/server/server.js";
import { createClient } from "../../../src/runtime/client.js";
import { createHttpSink } from "../../../src/runtime/sdk/http-sink.js";
import { query } from "../server/privacy-fixture.js";
import { loopbackServer, smallRuleset } from "../server/fixture.js";

const T0 = Date.parse("2026-12-10T00:00:00Z");

describe("client.identify()", () => {
  let srv: RunningServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-sdk-identify-"));
    srv = await loopbackServer(dir, smallRuleset(1), { clock: () => T0 });
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("sends each call once through the sink, retried after a lost answer, and it reaches the identities table", async () => {
    let lost = 0;
    // The first answer is lost after the server stored the batch: the sink sends the same ids again.
    const flaky = (async (url: string, init: RequestInit) => {
      const res = await fetch(url, init);
      if (url.endsWith("/v1/identify") && lost++ === 0) throw new Error("connection reset");
      return res;
    }) as typeof fetch;
    const sink = createHttpSink({ url: srv.url, fetch: flaky, baseDelayMs: 1, maxDelayMs: 5 });
    const c = await createClient({ ruleset: smallRuleset(1), tracker: sink, now: () => T0 });
    const ids = [c.identify("anon_1", "user_1"), c.identify("anon_2", "user_2"), c.identify("anon_1", "user_3")];
    assert.equal(new Set(ids).size, 3);
    await c.close();
    assert.equal(lost, 2);
    assert.deepEqual(sink.stats().identities, {
      queued: 0,
      acknowledged: 3,
      duplicates: 3,
      dropped: 0,
      rejected: 0,
      givenUp: 0,
      retries: 1,
    });
    await srv.compact();
    const rows = await query(
      ":memory:",
      `SELECT anonymous_id, unit_id, CAST(ts AS VARCHAR) FROM read_parquet('${join(dir, "data", "parquet", "identities", "*.parquet")}') ORDER BY unit_id`,
    );
    assert.deepEqual(rows, [
      ["anon_1", "user_1", "2026-12-10 00:00:00"],
      ["anon_2", "user_2", "2026-12-10 00:00:00"],
      ["anon_1", "user_3", "2026-12-10 00:00:00"],
    ]);
  });

  test("a call without both ids, or with one id twice, is a programming error; so is no tracker", async () => {
    const sink = createHttpSink({ url: srv.url });
    const c = await createClient({ ruleset: smallRuleset(1), tracker: sink });
    assert.throws(() => c.identify("", "u"), /"anonymousId"/);
    assert.throws(() => c.identify("a", undefined as unknown as string), /"userId"/);
    assert.throws(() => c.identify("same", "same"), /"same" was given as both/);
    await c.close();
    const bare = await createClient({ ruleset: smallRuleset(1) });
    assert.throws(() => bare.identify("a", "u"), /needs a tracker/);
  });
});
