import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { smallRuleset, storeOptions } from "./fixture.js";

const KEYS = { analyst: "k-analyst-123", admin: "k-admin-456", client: "k-client-789" };

describe("the access log: every read of analysis results says who, what and when", () => {
  let srv: RunningServer;
  let dir: string;
  const now = Date.parse("2026-11-10T12:00:00Z");
  const get = (path: string, key: string) => fetch(`${srv.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  const logged = () =>
    readFileSync(join(dir, "data", "access-log.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-access-"));
    mkdirSync(join(dir, "reports", "checkout_redesign"), { recursive: true });
    writeFileSync(join(dir, "reports", "checkout_redesign", "2026-11-09.json"), JSON.stringify({ experiment: "checkout_redesign" }));
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
        reportsDir: join(dir, "reports"),
        clock: () => now,
      },
      0,
    );
    const put = await fetch(`${srv.url}/v1/ruleset`, {
      method: "PUT",
      headers: { authorization: `Bearer ${KEYS.admin}`, "if-none-match": "*" },
      body: JSON.stringify(smallRuleset(1)),
    });
    assert.equal(put.status, 200);
  });
  after(async () => {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a read that is refused or finds nothing is not a read of results", async () => {
    assert.equal((await get("/v1/experiments/checkout_redesign/summary", KEYS.client)).status, 403);
    assert.equal((await get("/v1/reports/unknown_experiment", KEYS.analyst)).status, 404);
    assert.equal(existsSync(join(dir, "data", "access-log.ndjson")), false);
  });

  test("summaries and stored reports are logged with the key's name, before they are answered", async () => {
    assert.equal((await get("/v1/experiments/checkout_redesign/summary", KEYS.analyst)).status, 200);
    assert.equal((await get("/v1/reports/checkout_redesign", KEYS.analyst)).status, 200);
    const ts = new Date(now).toISOString();
    assert.deepEqual(logged(), [
      { ts, key: "analyst", read: "summary", experiment: "checkout_redesign" },
      { ts, key: "analyst", read: "report", experiment: "checkout_redesign" },
    ]);
  });
});
