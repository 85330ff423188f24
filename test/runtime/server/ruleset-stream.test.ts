import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type ServerResponse } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { createClient } from "../../../src/runtime/client.js";
import { serverSentEvents } from "../../../src/runtime/ruleset-stream.js";
import { smallRuleset, storeOptions } from "./fixture.js";
import { waitUntil } from "../../helpers/wait.js";

const KEYS = { admin: "k-admin-123", client: "k-client-456", ingest: "k-ingest-789" };
/** Long enough that an update seen within the test's deadline can only have come through the stream. */
const POLL_NEVER = 10 * 60_000;

describe("GET /v1/ruleset/stream", () => {
  let srv: RunningServer;
  let dir: string;
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const put = async (version: number) => {
    const res = await fetch(`${srv.url}/v1/ruleset`, {
      method: "PUT",
      headers: auth(KEYS.admin),
      body: JSON.stringify(smallRuleset(version)),
    });
    assert.equal(res.status, 200, await res.text());
  };
  /** Streams open on the server, from its metrics (the stream route is counted when it opens). */
  const streamsOpened = async () => {
    const text = await (await fetch(`${srv.url}/metrics`)).text();
    return [...text.matchAll(/^exp_requests_total\{[^}]*route="\/v1\/ruleset\/stream"[^}]*status="200"[^}]*\} (\d+)$/gm)].reduce(
      (n, m) => n + Number(m[1]),
      0,
    );
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-stream-"));
    srv = await startServer(
      {
        ...storeOptions(join(dir, "published")),
        dataDir: join(dir, "data"),
        keys: [
          { name: "admin", sha256: sha256Hex(KEYS.admin), scopes: ["evaluate", "ruleset:write"] },
          { name: "client", sha256: sha256Hex(KEYS.client), scopes: ["evaluate"] },
          { name: "ingest", sha256: sha256Hex(KEYS.ingest), scopes: ["ingest"] },
        ],
        tokenSecret: randomBytes(32),
        reloadIntervalMs: 50,
      },
      0,
    );
    await put(1);
  });
  after(() => srv.close());

  test("needs a key with the evaluate scope, like the other ruleset routes", async () => {
    assert.equal((await fetch(`${srv.url}/v1/ruleset/stream`)).status, 401);
    assert.equal((await fetch(`${srv.url}/v1/ruleset/stream`, { headers: auth(KEYS.ingest) })).status, 403);
  });

  test("names the current ruleset first, then each one served", async () => {
    const abort = new AbortController();
    const res = await fetch(`${srv.url}/v1/ruleset/stream`, { headers: auth(KEYS.client), signal: abort.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
    const seen: { version: number; checksum: string }[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      const text = (async function* () {
        for await (const chunk of res.body!) yield decoder.decode(chunk as Uint8Array, { stream: true });
      })();
      for await (const e of serverSentEvents(text)) {
        assert.equal(e.event, "ruleset");
        seen.push(JSON.parse(e.data));
        if (seen.length === 2) return;
      }
    })();
    assert.ok(await waitUntil(() => seen.length === 1), "the current ruleset was never named");
    const current = (await (await fetch(`${srv.url}/v1/ruleset`, { headers: auth(KEYS.client) })).json()) as { version: number };
    await put(current.version + 1);
    await reading;
    abort.abort();
    assert.deepEqual(seen[1], { version: current.version + 1, checksum: smallRuleset(current.version + 1).checksum });
  });

  test("a PUT reaches a connected SDK through the stream, long before its next poll", async (t) => {
    const updates: number[] = [];
    const before = await streamsOpened();
    const c = await createClient({
      url: srv.url,
      headers: auth(KEYS.client),
      pollIntervalMs: POLL_NEVER,
      onUpdate: (r) => updates.push(r.version),
    });
    t.after(() => c.close());
    assert.ok(await waitUntil(async () => (await streamsOpened()) > before), "the SDK never opened the stream");
    const next = c.ruleset.version + 1;
    const start = performance.now();
    await put(next);
    assert.ok(await waitUntil(() => c.ruleset.version === next, 30_000, 1), `version ${next} never arrived`);
    t.diagnostic(`PUT to SDK: ${(performance.now() - start).toFixed(1)} ms (the poll interval is ${POLL_NEVER / 60_000} min)`);
    assert.deepEqual(updates, [next]);
  });

  test("a ruleset published into the store (as exp apply does) reaches a connected SDK through the stream", async (t) => {
    const before = await streamsOpened();
    const c = await createClient({ url: srv.url, headers: auth(KEYS.client), pollIntervalMs: POLL_NEVER });
    t.after(() => c.close());
    assert.ok(await waitUntil(async () => (await streamsOpened()) > before), "the SDK never opened the stream");
    const store = storeOptions(join(dir, "published")).store;
    const cur = (await store.current())!;
    const next = smallRuleset(cur.version + 1, [2000, 8000]);
    const start = performance.now();
    await store.publish(next, { expectedVersion: cur.version, expectedChecksum: cur.checksum });
    assert.ok(await waitUntil(() => c.ruleset.checksum === next.checksum, 30_000, 1), `version ${next.version} never arrived`);
    t.diagnostic(`publish to SDK: ${(performance.now() - start).toFixed(1)} ms (the server looks at the store every 50 ms)`);
  });
});

test("the event-stream reader joins lines cut across chunks, skips comments and joins multi-line data", async () => {
  async function* chunks() {
    yield* [": hello\n\nevent: rule", 'set\ndata: {"version":1,', '"checksum":"a"}\r\n\r\n', "data: one\ndata:two\n\n", "event: x\n\n"];
  }
  const events = [];
  for await (const e of serverSentEvents(chunks())) events.push(e);
  assert.deepEqual(events, [
    { event: "ruleset", data: '{"version":1,"checksum":"a"}' },
    { event: "message", data: "one\ntwo" },
  ]);
});

describe("the SDK without a stream", () => {
  /** A ruleset server whose stream refuses `refusals` times, then names the ruleset it serves. */
  async function flakyServer(refusals: number) {
    const state = { ruleset: smallRuleset(1), streamRequests: 0, rulesetRequests: 0, streams: [] as ServerResponse[] };
    const server = createServer((req, res) => {
      if (req.url === "/v1/ruleset/stream") {
        if (++state.streamRequests <= refusals) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(`event: ruleset\ndata: ${JSON.stringify({ version: state.ruleset.version, checksum: state.ruleset.checksum })}\n\n`);
        state.streams.push(res);
        return;
      }
      state.rulesetRequests++;
      res.writeHead(200, { "content-type": "application/json", etag: `"${state.ruleset.checksum}"` }).end(JSON.stringify(state.ruleset));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    return {
      state,
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    };
  }

  test("retries the stream with backoff and takes it back up when the server offers it again", async (t) => {
    const srv = await flakyServer(3);
    t.after(() => srv.close());
    const c = await createClient({ url: srv.url, pollIntervalMs: POLL_NEVER, streamRetryMs: 5 });
    t.after(() => c.close());
    srv.state.ruleset = smallRuleset(2);
    assert.ok(await waitUntil(() => c.ruleset.version === 2), "the returning stream never brought version 2");
    assert.equal(srv.state.streamRequests, 4, "three refusals, then the stream");
    assert.equal(srv.state.rulesetRequests, 2, "the first load and the fetch the stream asked for");
  });

  test("polls while the stream is refused", async (t) => {
    const srv = await flakyServer(Infinity);
    t.after(() => srv.close());
    const c = await createClient({ url: srv.url, pollIntervalMs: 20, streamRetryMs: 60_000 });
    t.after(() => c.close());
    srv.state.ruleset = smallRuleset(2);
    assert.ok(await waitUntil(() => c.ruleset.version === 2), "polling never brought version 2");
    assert.equal(srv.state.streamRequests, 1);
  });

  test("stream: false only polls", async (t) => {
    const srv = await flakyServer(0);
    t.after(() => srv.close());
    const c = await createClient({ url: srv.url, pollIntervalMs: 20, stream: false });
    t.after(() => c.close());
    srv.state.ruleset = smallRuleset(2);
    assert.ok(await waitUntil(() => c.ruleset.version === 2), "polling never brought version 2");
    assert.equal(srv.state.streamRequests, 0);
  });
});
