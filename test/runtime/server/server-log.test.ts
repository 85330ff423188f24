import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { redactSecrets, serverLog } from "../../../src/runtime/server/server-log.js";
import { startServer } from "../../../src/runtime/server/server.js";
import { storeOptions } from "./fixture.js";

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
