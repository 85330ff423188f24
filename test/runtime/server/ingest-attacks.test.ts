// Ingestion attacks of issue 10 §3.3 against a real `exp serve` over loopback: what compaction
// cannot convert is refused at the door with a reason; what an older server accepted anyway is
// quarantined by compaction instead of blocking it or being deleted; odd bodies and paths get
// 4xx, not 500; and every 5xx is one line of the server's log.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { waitUntil } from "../../helpers/wait.js";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { call, startServe, stopServe, type Served } from "./serve-process.js";

const event = (id: string, ts = "2026-11-20T10:00:00.000Z") =>
  `{"id":"${id}","unit_id":"u1","session_id":null,"event":"purchase","ts":"${ts}","value":null,"properties":null}`;

async function parquetEventIds(dir: string): Promise<string[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    const r = await c.runAndReadAll(`SELECT event_id FROM read_parquet('${join(dir, ".exp", "server", "parquet", "events")}/*.parquet')`);
    return (r.getColumnsJS()[0] ?? []).map(String).sort();
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

describe("ingestion refuses at the door what compaction cannot convert", () => {
  let dir: string;
  let srv: Served;
  const post = (body: string) => call(srv.url, "POST", "/v1/events", { body });
  before(async () => {
    dir = exampleRepo("exp-serve-ingest-");
    assert.equal(exp(dir, ["apply", "--auto-approve"]).status, 0);
    srv = await startServe(dir, ["--no-auth"]);
  });
  after(async () => {
    await stopServe(srv.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("a ts past year 9999 or on a day that does not exist gets 400 naming it; compaction then runs", async () => {
    for (const ts of [
      "+010000-01-01T00:00:00Z",
      "2026-02-31T00:00:00Z",
      "2026-11-20",
      "1969-12-31T23:59:59Z",
      "9999-12-31T23:00:00-05:00",
    ]) {
      const r = await post(JSON.stringify({ eventId: `t-${ts}`, userId: "u1", eventName: "purchase", ts }));
      assert.equal(r.status, 400, `${ts} → ${r.text}`);
      assert.match(String(r.json?.error), /"ts"/);
    }
    const ok = await post(JSON.stringify({ eventId: "t-ok", userId: "u1", eventName: "purchase", ts: "2026-11-20T10:00:00+01:00" }));
    assert.equal(ok.status, 202, ok.text);
  });

  test("a lone surrogate in userId, eventId or a property key gets 400", async () => {
    for (const body of [
      '{"eventId": "s-1", "userId": "\\ud800", "eventName": "purchase"}',
      '{"eventId": "s-\\udc00", "userId": "u1", "eventName": "purchase"}',
      '{"eventId": "s-2", "userId": "u1", "eventName": "purchase", "properties": {"\\ud83d": 1}}',
    ]) {
      const r = await post(body);
      assert.equal(r.status, 400, `${body} → ${r.text}`);
      assert.match(String(r.json?.error), /surrogate/);
    }
    // A surrogate pair (an emoji) is fine.
    assert.equal((await post('{"eventId": "s-3", "userId": "\\ud83d\\ude00", "eventName": "purchase"}')).status, 202);
  });

  test('an empty eventId gets 400: a stored record needs a non-empty id, and "" would deduplicate unrelated events', async () => {
    const r = await post('{"eventId": "", "userId": "u1", "eventName": "purchase"}');
    assert.equal(r.status, 400, r.text);
    assert.match(String(r.json?.error), /"eventId" must not be empty/);
  });

  test("null, lists and other odd bodies, an inherited key and a version past 2^53 get 4xx, never 500", async () => {
    for (const body of ["null", "[]", '"x"', "7", '{"events": null}', '{"events": {}}', '{"events": [null]}', '{"events": []}'])
      assert.equal((await post(body)).status, 400, body);
    assert.equal((await call(srv.url, "GET", "/v1/experiments/constructor/summary")).status, 404);
    assert.equal((await call(srv.url, "GET", "/v1/experiments/__proto__/summary")).status, 404);
    assert.equal((await call(srv.url, "GET", "/v1/ruleset/versions/9007199254740993")).status, 404);
    assert.equal((await call(srv.url, "GET", `/v1/ruleset/versions/${"9".repeat(400)}`)).status, 404);
  });

  test("compaction quarantines lines an older server stored but cannot convert, and loses nothing", async () => {
    // Segments as an older server would have left them: a lone surrogate (JSON-escaped) and a
    // six-digit year among good lines, then a later segment. The newest segment stays open.
    await stopServe(srv.child);
    const events = join(dir, ".exp", "server", "events");
    const numbers = readdirSync(events).map((f) => Number(/(\d+)/.exec(f)![1]));
    const n = Math.max(...numbers) + 1;
    const name = (k: number) => `events-${String(k).padStart(6, "0")}.ndjson`;
    const bad = [event("old-\\ud800"), event("old-far", "+010000-01-01T00:00:00.000Z")];
    writeFileSync(join(events, name(n)), `${event("old-1")}\n${bad[0]}\n${bad[1]}\n${event("old-2")}\n`);
    writeFileSync(join(events, name(n + 1)), `${event("old-3")}\n`);
    writeFileSync(join(events, name(n + 2)), "");
    const c = exp(dir, ["compact", "--format", "json"]);
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(JSON.parse(c.stdout).events.quarantined, 2);
    assert.deepEqual(readdirSync(events), [name(n + 2)]);
    const ids = await parquetEventIds(dir);
    for (const id of ["old-1", "old-2", "old-3", "t-ok", "s-3"]) assert.ok(ids.includes(id), `${id} is not in Parquet`);
    assert.ok(!ids.some((id) => id.startsWith("old-far")));
    const q = join(dir, ".exp", "server", "quarantine", "events");
    assert.equal(readFileSync(join(q, name(n)), "utf8"), `${bad[0]}\n${bad[1]}\n`);
    const reasons = readFileSync(join(q, name(n).replace(".ndjson", ".reasons.ndjson")), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      reasons.map((r) => r.line),
      [2, 3],
    );
    assert.match(reasons[0].reason, /surrogate/);
    assert.match(reasons[1].reason, /1970 to 9999|date-time/);
    srv = await startServe(dir, ["--no-auth"]);
  });
});

describe("every 5xx answer is one line of the server log", () => {
  let dir: string;
  let srv: Served;
  before(async () => {
    dir = exampleRepo("exp-serve-log-");
    mkdirSync(join(dir, "reports", "checkout_redesign"), { recursive: true });
    writeFileSync(join(dir, "reports", "checkout_redesign", "2026-11-20.json"), "{ not json");
    srv = await startServe(dir, ["--no-auth"]);
  });
  after(async () => {
    await stopServe(srv.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("503 before anything is published and 500 from a damaged report are logged with their error", async () => {
    const answers = [
      await call(srv.url, "GET", "/readyz"),
      await call(srv.url, "POST", "/v1/assignments", { body: { experimentKey: "checkout_redesign", userId: "u1" } }),
      await call(srv.url, "POST", "/v1/evaluate", { body: { userId: "u1" } }),
      await call(srv.url, "GET", "/v1/reports/checkout_redesign"),
      await call(srv.url, "GET", "/healthz"),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [503, 503, 503, 500, 200],
    );
    const errors = () => srv.log().filter((l) => l.level === "error" && Number(l.status) >= 500);
    await waitUntil(() => errors().length >= 4);
    const lines = errors();
    assert.deepEqual(
      lines.map((l) => [l.status, l.route]),
      [
        [503, "/readyz"],
        [503, "/v1/assignments"],
        [503, "/v1/evaluate"],
        [500, "/v1/reports/{key}"],
      ],
    );
    assert.equal((lines[3]!.error as { name: string }).name, "SyntaxError");
  });
});
