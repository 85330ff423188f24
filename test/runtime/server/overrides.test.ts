// POST/GET/DELETE /v1/overrides end to end through a real server on loopback, with the server's
// clock injected: TTLs expire by moving it, never by waiting.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { serverLog } from "../../../src/runtime/server/server-log.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { smallRuleset, storeOptions, storedExposures } from "./fixture.js";

const TOKENS = { qa: "qa-token-5b1f0c9e", client: "client-token-77d2a1" };
const KEYS = [
  { name: "qa", sha256: sha256Hex(TOKENS.qa), scopes: ["overrides" as const, "evaluate" as const] },
  { name: "client", sha256: sha256Hex(TOKENS.client), scopes: ["evaluate" as const] },
];
const T0 = Date.parse("2026-12-06T12:00:00Z");

interface Answer {
  status: number;
  json: Record<string, any>;
}

function client(url: string) {
  const call = async (method: string, path: string, token: string | undefined, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : {} };
  };
  return {
    call,
    create: (body: unknown, token: string | undefined = TOKENS.qa) => call("POST", "/v1/overrides", token, body),
    list: () => call("GET", "/v1/overrides", TOKENS.qa),
    remove: (id: string) => call("DELETE", `/v1/overrides/${id}`, TOKENS.qa),
    assign: (userId: string, country: string) =>
      call("POST", "/v1/assignments", TOKENS.client, { experimentKey: "checkout_redesign", userId, context: { country } }),
    flag: (userId: string) => call("POST", "/v1/flags/evaluate", TOKENS.client, { flagKey: "new_search", userId }),
  };
}

test("overrides are created, served, listed, expire at the server's clock, survive a restart and are deleted, each change audited", async () => {
  const dir = mkdtempSync(join(tmpdir(), "exp-overrides-"));
  const dataDir = join(dir, "data");
  const { store, publisher } = storeOptions(join(dir, "published"));
  await store.publish(smallRuleset(1), { expectedVersion: undefined, expectedChecksum: undefined });
  let now = T0;
  const logLines: string[] = [];
  const start = () =>
    startServer(
      { store, publisher, dataDir, keys: KEYS, tokenSecret: randomBytes(32), clock: () => now, log: serverLog((l) => logLines.push(l)) },
      0,
    );
  let srv: RunningServer = await start();
  try {
    let c = client(srv.url);
    const experimentOverride = { experimentKey: "checkout_redesign", unitId: "qa_alice", variant: "one_page", ttlSeconds: 3600 };

    // Authentication and scope.
    assert.equal((await c.call("POST", "/v1/overrides", undefined, experimentOverride)).status, 401);
    const forbidden = await c.create(experimentOverride, TOKENS.client);
    assert.equal(forbidden.status, 403);
    assert.match(forbidden.json.error, /lacks the "overrides" scope/);
    assert.equal((await c.call("GET", "/v1/overrides", TOKENS.client)).status, 403);

    // Bad input: unknown names come with a did-you-mean.
    const typo = await c.create({ ...experimentOverride, experimentKey: "checkout_redesing" });
    assert.deepEqual(typo, {
      status: 400,
      json: {
        error: `unknown experiment "checkout_redesing"; override one the served ruleset has`,
        suggestion: 'did you mean "checkout_redesign"?',
      },
    });
    const badVariant = await c.create({ ...experimentOverride, variant: "onepage" });
    assert.equal(badVariant.status, 400);
    assert.equal(badVariant.json.error, `unknown variant "onepage" of experiment "checkout_redesign"; send one of "control", "one_page"`);
    assert.equal(badVariant.json.suggestion, 'did you mean "one_page"?');
    assert.equal((await c.create({ ...experimentOverride, flagKey: "new_search" })).status, 400);
    for (const ttlSeconds of [0, 1.5, "60", 31 * 24 * 3600])
      assert.equal((await c.create({ ...experimentOverride, ttlSeconds })).status, 400);
    assert.equal((await c.create({ ...experimentOverride, unitId: "" })).status, 400);
    assert.equal((await c.list()).json.overrides.length, 0, "refused requests create nothing");

    // Before: qa_alice is outside the targeting (country FR).
    assert.equal((await c.assign("qa_alice", "FR")).json.variant, null);

    const created = await c.create(experimentOverride);
    assert.equal(created.status, 201);
    assert.match(created.json.id, /^ovr_[0-9a-f]{16}$/);
    assert.equal(created.json.expiresAt, new Date(T0 + 3600_000).toISOString());
    assert.equal(created.json.createdBy, "qa");
    const flagOverride = await c.create({ flagKey: "new_search", unitId: "qa_alice", variant: "on", ttlSeconds: 60 });
    assert.equal(flagOverride.status, 201);

    // Served: the variant, reason override, not enrolled, no exposure logged.
    const forced = await c.assign("qa_alice", "FR");
    assert.equal(forced.json.variant, "one_page");
    assert.deepEqual(forced.json.reasons, ["running", "override", "variant:one_page"]);
    assert.equal(forced.json.inExperiment, false);
    assert.equal(forced.json.exposureLogged, false);
    assert.equal(forced.json.exposureToken, null);
    assert.deepEqual([(await c.flag("qa_alice")).json.value, (await c.flag("qa_alice")).json.reason], [true, "override"]);
    // Everyone else is untouched, and an enrolled unit still logs its exposure.
    assert.equal((await c.assign("someone", "US")).json.exposureLogged, true);
    // Listed oldest first; both were made at the same instant of the test's clock, so by id then.
    assert.deepEqual(
      (await c.list()).json.overrides.map((o: Record<string, unknown>) => o.id),
      [created.json.id, flagOverride.json.id].sort(),
    );

    // The flag override's 60 s pass at the server's clock: it is no longer served nor listed.
    now = T0 + 60_000;
    assert.deepEqual([(await c.flag("qa_alice")).json.value, (await c.flag("qa_alice")).json.reason], [false, "default"]);
    assert.deepEqual(
      (await c.list()).json.overrides.map((o: Record<string, unknown>) => o.id),
      [created.json.id],
    );
    assert.equal((await c.remove(flagOverride.json.id)).status, 404, "an expired override is gone");

    // A restart keeps the one still in force.
    await srv.close();
    srv = await start();
    c = client(srv.url);
    assert.deepEqual(
      (await c.list()).json.overrides.map((o: Record<string, unknown>) => o.id),
      [created.json.id],
    );
    assert.equal((await c.assign("qa_alice", "FR")).json.variant, "one_page");

    // Deleted: served no more, and a second delete is 404.
    const removed = await c.remove(created.json.id);
    assert.equal(removed.status, 200);
    assert.equal(removed.json.id, created.json.id);
    assert.equal((await c.assign("qa_alice", "FR")).json.variant, null);
    assert.equal((await c.remove(created.json.id)).status, 404);
    assert.deepEqual((await c.list()).json.overrides, []);

    // No exposure of the QA unit was stored.
    assert.ok(storedExposures(dataDir).some((e) => e.unit_id === "someone"));
    assert.equal(
      storedExposures(dataDir).some((e) => e.unit_id === "qa_alice"),
      false,
    );

    // The audit: every change, by key name, and no token anywhere.
    const audit = readFileSync(join(dataDir, "overrides-audit.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; key: string; override: { id: string } });
    assert.deepEqual(
      audit.map((a) => [a.action, a.key, a.override.id]),
      [
        ["create", "qa", created.json.id],
        ["create", "qa", flagOverride.json.id],
        ["delete", "qa", created.json.id],
      ],
    );
    const logged = logLines.filter((l) => /override (created|deleted)/.test(l)).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(logged.length, 3);
    for (const text of [readFileSync(join(dataDir, "overrides-audit.ndjson"), "utf8"), logLines.join("\n")])
      for (const token of Object.values(TOKENS)) assert.equal(text.includes(token), false);
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
