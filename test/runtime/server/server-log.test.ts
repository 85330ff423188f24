import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { logRequest, redactSecrets, serverLog } from "../../../src/runtime/server/server-log.js";
import { startServer } from "../../../src/runtime/server/server.js";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { waitUntil } from "../../helpers/wait.js";
import { smallRuleset, storeOptions } from "./fixture.js";

test("credentials in URLs, bearer tokens and secret-named fields are redacted", () => {
  assert.equal(
    redactSecrets("cannot reach https://ci:hunter2@flags.internal:8080/v1 (Bearer k-123, token=abc&x=1, password: pw)"),
    "cannot reach https://***@flags.internal:8080/v1 (Bearer ***, token=***&x=1, password: ***)",
  );
  assert.equal(redactSecrets('{"exposureToken":"eyJ.sig","userId":"u1"}'), '{"exposureToken":"***","userId":"u1"}');
  assert.equal(redactSecrets('the key "admin" lacks the scope'), 'the key "admin" lacks the scope');
});

test("a 500 is one JSON log line with the error's name and redacted message, and no stack", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-serve-log-"));
  const lines: string[] = [];
  const { store, publisher } = storeOptions(join(dir, "published"));
  store.versions = async () => {
    throw new Error("the store at https://ci:hunter2@store.internal/rulesets is unreachable");
  };
  const srv = await startServer(
    {
      store,
      publisher,
      dataDir: join(dir, "data"),
      keys: [],
      noAuth: true,
      tokenSecret: randomBytes(32),
      log: serverLog((l) => lines.push(l)),
    },
    0,
  );
  try {
    const res = await fetch(`${srv.url}/v1/ruleset/versions?token=abc`);
    assert.deepEqual([res.status, await res.json()], [500, { error: "internal error" }]);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.status === 500);
    assert.equal(logged.length, 1);
    assert.deepEqual(logged[0]!.error, { name: "Error", message: "the store at https://***@store.internal/rulesets is unreachable" });
    assert.equal(logged[0]!.msg, "GET /v1/ruleset/versions answered 500");
    assert.equal(logged[0]!.level, "error");
    assert.deepEqual([logged[0]!.method, logged[0]!.route], ["GET", "/v1/ruleset/versions"]);
    assert.equal(typeof logged[0]!.durationMs, "number");
    assert.equal(lines.length, 1, "the 5xx line is the request's only line");
    assert.doesNotMatch(lines.join(""), /hunter2|abc|\n\s+at /);
  } finally {
    await srv.close();
  }
});

test("a server refuses to start with an exposure-token secret shorter than 16 bytes", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-serve-secret-"));
  await assert.rejects(
    startServer(
      { ...storeOptions(join(dir, "published")), dataDir: join(dir, "data"), keys: [], noAuth: true, tokenSecret: Buffer.alloc(0) },
      0,
    ),
    /at least 16/,
  );
});

test("every request is one JSON line: method, route template, status, duration and the key's name, never the key", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-serve-requests-"));
  const lines: string[] = [];
  const KEYS = { admin: "k-admin-secret-123", ingest: "k-ingest-secret-456" };
  const srv = await startServer(
    {
      ...storeOptions(join(dir, "published")),
      dataDir: join(dir, "data"),
      keys: [
        { name: "ci", sha256: sha256Hex(KEYS.admin), scopes: ["evaluate", "ruleset:write"] },
        { name: "collector", sha256: sha256Hex(KEYS.ingest), scopes: ["ingest"] },
      ],
      tokenSecret: randomBytes(32),
      log: serverLog((l) => lines.push(l)),
    },
    0,
  );
  try {
    const asKey = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
    const answers = [
      (await fetch(`${srv.url}/v1/ruleset`, { method: "PUT", body: JSON.stringify(smallRuleset(1)), ...asKey(KEYS.admin) })).status,
      (await fetch(`${srv.url}/v1/ruleset/versions/1`, asKey(KEYS.admin))).status,
      (await fetch(`${srv.url}/v1/ruleset`, asKey(KEYS.ingest))).status,
      (await fetch(`${srv.url}/v1/ruleset`, asKey("not-a-key"))).status,
      (await fetch(`${srv.url}/healthz`)).status,
      (await fetch(`${srv.url}/nowhere`)).status,
    ];
    assert.deepEqual(answers, [200, 200, 403, 401, 200, 404]);
    assert.ok(await waitUntil(() => lines.length >= answers.length), "a request was not logged");
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(logged.length, answers.length, "one line per request");
    assert.deepEqual(
      logged.map(({ level, method, route, status, keyId }) => ({ level, method, route, status, keyId })),
      [
        { level: "info", method: "PUT", route: "/v1/ruleset", status: 200, keyId: "ci" },
        { level: "info", method: "GET", route: "/v1/ruleset/versions/{version}", status: 200, keyId: "ci" },
        { level: "info", method: "GET", route: "/v1/ruleset", status: 403, keyId: "collector" },
        { level: "info", method: "GET", route: "/v1/ruleset", status: 401, keyId: undefined },
        { level: "info", method: "GET", route: "/healthz", status: 200, keyId: undefined },
        { level: "info", method: "GET", route: "unmatched", status: 404, keyId: undefined },
      ],
    );
    for (const l of logged) {
      assert.equal(typeof l.durationMs, "number");
      assert.ok((l.durationMs as number) >= 0);
      assert.ok(!Number.isNaN(Date.parse(l.ts as string)));
    }
    assert.doesNotMatch(lines.join(""), /k-admin-secret|k-ingest-secret|not-a-key|Bearer/);
  } finally {
    await srv.close();
  }
});

test("a log at warn drops the request lines and keeps the failures", () => {
  const lines: string[] = [];
  const log = serverLog(
    (l) => lines.push(l),
    () => 0,
    "warn",
  );
  log.info("GET /healthz answered 200");
  log.warn("the published ruleset does not verify");
  log.error("GET /v1/ruleset/versions answered 500");
  assert.deepEqual(
    lines.map((l) => JSON.parse(l).level),
    ["warn", "error"],
  );
});

test("a repeated message and field are redacted every time, and each line has the time it was logged", () => {
  const lines: string[] = [];
  let now = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
  const log = serverLog(
    (l) => lines.push(l),
    () => now,
  );
  for (let i = 0; i < 3; i++) {
    log.info("retrying https://ci:hunter2@store.internal", { detail: "token=abc" });
    if (i === 1) now += 1;
  }
  const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    logged.map(({ ts, msg, detail }) => [ts, msg, detail]),
    [
      ["2026-01-02T03:04:05.006Z", "retrying https://***@store.internal", "token=***"],
      ["2026-01-02T03:04:05.006Z", "retrying https://***@store.internal", "token=***"],
      ["2026-01-02T03:04:05.007Z", "retrying https://***@store.internal", "token=***"],
    ],
  );
});

test("a request line formatted from its cached parts is the line the generic info entry gives", () => {
  const fast: string[] = [];
  const generic: string[] = [];
  const log = serverLog(
    (l) => fast.push(l),
    () => Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  );
  const plain = serverLog(
    (l) => generic.push(l),
    () => Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  );
  // The generic path: a log of only info, warn and error.
  const without = { info: plain.info, warn: plain.warn, error: plain.error };
  const lines = [
    { method: "POST", route: "/v1/assignments", status: 200, durationMs: 0.123, keyId: "bench" },
    { method: "POST", route: "/v1/assignments", status: 200, durationMs: 12, keyId: "bench" },
    { method: "GET", route: "/v1/ruleset/versions/{version}", status: 404, durationMs: 1.5, keyId: undefined },
    { method: "GET", route: 'unmatched "quoted" \\ token=abc', status: 401, durationMs: 0, keyId: 'k"ey\n' },
    // The last line's parts are kept: a line that differs from it in one field must not reuse them.
    { method: "POST", route: "/v1/assignments", status: 200, durationMs: 1, keyId: "bench" },
    { method: "POST", route: "/v1/assignments", status: 400, durationMs: 1, keyId: "bench" },
    { method: "POST", route: "/v1/assignments", status: 400, durationMs: 1, keyId: "other" },
    { method: "POST", route: "/v1/assignments", status: 400, durationMs: 1, keyId: undefined },
    { method: "GET", route: "/v1/assignments", status: 400, durationMs: 1, keyId: undefined },
    { method: "GET", route: "/v1/evaluate", status: 400, durationMs: 1, keyId: undefined },
  ];
  for (const line of lines) {
    logRequest(log, line);
    logRequest(without, line);
  }
  assert.equal(fast.length, lines.length);
  assert.deepEqual(fast, generic);
  assert.deepEqual(JSON.parse(fast[2]!), {
    ts: "2026-01-02T03:04:05.006Z",
    level: "info",
    msg: "GET /v1/ruleset/versions/{version} answered 404",
    method: "GET",
    route: "/v1/ruleset/versions/{version}",
    status: 404,
    durationMs: 1.5,
  });
  assert.doesNotMatch(fast.join(""), /abc/);
});

test("a log at warn drops request lines however they are formatted", () => {
  const lines: string[] = [];
  const log = serverLog(
    (l) => lines.push(l),
    () => 0,
    "warn",
  );
  logRequest(log, { method: "GET", route: "/healthz", status: 200, durationMs: 1, keyId: undefined });
  assert.deepEqual(lines, []);
});

test("each line's time is the ISO text of the clock's millisecond, also across seconds and at odd times", () => {
  const lines: string[] = [];
  let now = 0;
  const log = serverLog(
    (l) => lines.push(l),
    () => now,
  );
  const times = [
    Date.UTC(2026, 0, 2, 3, 4, 5, 6),
    Date.UTC(2026, 0, 2, 3, 4, 5, 60),
    Date.UTC(2026, 0, 2, 3, 4, 5, 999),
    Date.UTC(2026, 0, 2, 3, 4, 6, 0),
    Date.UTC(2026, 0, 2, 3, 4, 5, 7),
    0,
    1.5,
    -1,
    Date.UTC(10000, 0, 1),
  ];
  for (const t of times) {
    now = t;
    log.warn("tick");
  }
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { ts: string }).ts),
    times.map((t) => new Date(t).toISOString()),
  );
});
