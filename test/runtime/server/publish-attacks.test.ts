// Publishing through `exp serve` (PUT /v1/ruleset) against a real server over loopback, with the
// attacks of issue 10 §3.2: racing PUTs over one If-Match, racing PUTs of one new version, a version
// far ahead. The server must take the target's lock, compare-and-swap against the stored current
// version, accept only the next version and write its own audit record, like `exp apply`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { rulesetChecksum } from "../../../src/ruleset/checksum.js";
import type { Ruleset } from "../../../src/ruleset/types.js";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { call, keysFile, startServe, stopServe, type Served } from "./serve-process.js";

const CI = "ci-key-0123456789";

/** The ruleset as another version, with content that differs by `n` (a flag override) from it and from the workspace. */
function asVersion(r: Ruleset, version: number, n = 0): Ruleset {
  const next = structuredClone(r);
  next.version = version;
  const flag = Object.values(next.flags)[0]!;
  flag.overrides = { ...flag.overrides, [`probe_${n}`]: flag.default };
  next.checksum = rulesetChecksum(next);
  return next;
}

function auditRecords(dir: string): { actor: string; fromVersion: number | null; toVersion: number; summary: string }[] {
  return readFileSync(join(dir, ".exp", "published", "audit.log.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
}

describe("PUT /v1/ruleset takes the publish lock, compares and swaps, and is audited", () => {
  let dir: string;
  let srv: Served;
  let v1: Ruleset;
  const put = (r: unknown, headers: Record<string, string> = {}) =>
    call(srv.url, "PUT", "/v1/ruleset", { body: typeof r === "string" ? r : JSON.stringify(r), key: CI, headers });

  before(async () => {
    dir = exampleRepo("exp-serve-publish-");
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr);
    const keys = keysFile(dir, { ci: { key: CI, scopes: ["evaluate", "ruleset:write"] } });
    srv = await startServe(dir, ["--keys", keys]);
    v1 = (await call(srv.url, "GET", "/v1/ruleset", { key: CI })).json as unknown as Ruleset;
    assert.equal(v1.version, 1);
  });
  after(async () => {
    await stopServe(srv.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("ten parallel PUTs over the same If-Match: one wins, nine get 412", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => put(asVersion(v1, 2, n), { "if-match": `"${v1.checksum}"` })));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, ...Array(9).fill(412)], answers.map((a) => a.text).join("\n"));
    const current = (await call(srv.url, "GET", "/v1/ruleset", { key: CI })).json!;
    const winner = answers.find((a) => a.status === 200)!.json!;
    assert.deepEqual([current.version, current.checksum], [2, winner.checksum]);
    // The server wrote the record of its publish itself, under the key's name.
    const last = auditRecords(dir).at(-1)!;
    assert.deepEqual([last.actor, last.fromVersion, last.toVersion], ['exp serve key "ci"', 1, 2]);
    assert.equal(exp(dir, ["audit", "verify"]).status, 0);
  });

  test("ten parallel PUTs of one new version with different content: one wins, the target stays usable", async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, (_, n) => put(asVersion(v1, 3, 20 + n))));
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, ...Array(9).fill(409)], answers.map((a) => a.text).join("\n"));
    assert.match(String(answers.find((a) => a.status === 409)!.json?.error), /version 3 is already stored with another checksum/);
    // plan, rollback and apply all still work on the target the server published to.
    const plan = exp(dir, ["plan"]);
    assert.notEqual(plan.status, 1, plan.stderr);
    const rolled = exp(dir, ["rollback"]);
    assert.equal(rolled.status, 0, rolled.stderr);
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(exp(dir, ["audit", "verify"]).status, 0);
    // A restarted server serves what is current.
    await stopServe(srv.child);
    const keys = join(dir, "keys.json");
    srv = await startServe(dir, ["--keys", keys]);
    const ready = await call(srv.url, "GET", "/readyz");
    assert.deepEqual([ready.status, ready.json?.version], [200, 4]);
  });

  test("only the next version is accepted: 1e20, 2^53+1 and a version ahead are refused, and apply still works", async () => {
    const cur = (await call(srv.url, "GET", "/v1/ruleset", { key: CI })).json as unknown as Ruleset;
    const huge = await put(asVersion(cur, 1e20));
    assert.equal(huge.status, 400, huge.text);
    const unsafe = JSON.stringify(asVersion(cur, 2 ** 53)).replace(`"version":${2 ** 53}`, `"version":9007199254740993`);
    assert.equal((await put(unsafe)).status, 400);
    const ahead = await put(asVersion(cur, cur.version + 5));
    assert.equal(ahead.status, 409);
    assert.match(String(ahead.json?.error), new RegExp(`which is ${cur.version + 1}`));
    assert.deepEqual((await call(srv.url, "GET", "/v1/ruleset/versions", { key: CI })).json?.versions, [1, 2, 3, 4]);
    // The next version is accepted; then exp apply publishes the one after it.
    assert.equal((await put(asVersion(cur, cur.version + 1, 50))).status, 200);
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr);
    // Every publish has exactly one record, with its own actor: none was "recorded late".
    const records = auditRecords(dir);
    assert.deepEqual(
      records.map((r) => [r.actor, r.toVersion]),
      [
        ["test-actor", 1],
        ['exp serve key "ci"', 2],
        ['exp serve key "ci"', 3],
        ["test-actor", 2],
        ["test-actor", 4],
        ['exp serve key "ci"', 5],
        ["test-actor", 6],
      ],
    );
    assert.ok(records.every((r) => !/recorded late/.test(r.summary)));
  });
});
