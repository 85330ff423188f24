import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { HttpTarget } from "../../src/plan/target/http.js";
import { openPublishTarget, HTTP_STATE_DIR } from "../../src/plan/target/open.js";
import { PublishError } from "../../src/plan/target/errors.js";
import { appendAuditEntry } from "../../src/plan/audit-append.js";
import { rollback } from "../../src/plan/rollback.js";
import type { Ruleset } from "../../src/ruleset/types.js";
import { makeRuleset, verifyFixture } from "./ruleset-fixture.js";

const TOKEN = "s3cret-token";

/** A stand-in for `exp serve`'s ruleset endpoints, strict about what it accepts. */
function rulesetServer(options: { history: boolean }) {
  const stored = new Map<number, Ruleset>();
  let current: Ruleset | undefined;
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      if (req.method === "GET" && req.url === "/v1/ruleset") {
        if (!current) return send(404, { error: "no ruleset published" });
        return send(200, current, { etag: `"${current.checksum}"` });
      }
      if (options.history && req.method === "GET" && req.url === "/v1/ruleset/versions") return send(200, { versions: [...stored.keys()] });
      const m = /^\/v1\/ruleset\/versions\/(\d+)$/.exec(req.url ?? "");
      if (options.history && req.method === "GET" && m) {
        const r = stored.get(Number(m[1]));
        return r ? send(200, r) : send(404, { error: "no such version" });
      }
      if (req.method === "PUT" && req.url === "/v1/ruleset") {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: "missing or wrong bearer key" });
        let ruleset: Ruleset;
        try {
          ruleset = JSON.parse(body);
        } catch {
          return send(400, { error: "body is not JSON" });
        }
        const verdict = verifyFixture(ruleset);
        if (!verdict.ok) return send(400, { error: `ruleset rejected: ${verdict.message}` });
        const ifMatch = req.headers["if-match"];
        const ifNone = req.headers["if-none-match"];
        if (ifNone === "*" && current) return send(412, { error: "a ruleset is already published" });
        if (ifMatch !== undefined && ifMatch !== `"${current?.checksum}"`) return send(412, { error: "precondition failed" });
        stored.set(ruleset.version, ruleset);
        current = ruleset;
        return send(200, { version: ruleset.version }, { etag: `"${ruleset.checksum}"` });
      }
      send(404, { error: "not found" });
    });
  });
  return { server, seen, stored, current: () => current };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const isCode = (code: string, pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof PublishError, `expected a PublishError, got ${String(e)}`);
  assert.equal(e.code, code, e.message);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

describe("http target", () => {
  const fake = rulesetServer({ history: true });
  let url: string;
  let work: string;
  before(async () => {
    url = await listen(fake.server);
    work = mkdtempSync(join(tmpdir(), "exp-http-"));
  });
  after(() => {
    fake.server.close();
    rmSync(work, { recursive: true, force: true });
  });

  test("publish, read back with ETag, compare-and-swap, bearer token, 400 and 401", async () => {
    const target = openPublishTarget({ type: "http", url, token: "env:EXP_TEST_PUBLISH_TOKEN" }, work, {
      env: { EXP_TEST_PUBLISH_TOKEN: TOKEN },
    });
    assert.equal(await target.current(), undefined);
    const v1 = makeRuleset(1);
    await target.publish(v1, { expectedVersion: undefined, expectedChecksum: undefined });
    const put = fake.seen.find((s) => s.method === "PUT")!;
    assert.equal(put.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(put.headers["if-none-match"], "*");
    assert.deepEqual(await target.current(), { version: 1, checksum: v1.checksum, ruleset: v1 });

    const v2 = makeRuleset(2);
    await target.publish(v2, { expectedVersion: 1, expectedChecksum: v1.checksum });
    assert.equal(fake.seen.filter((s) => s.method === "PUT").at(-1)!.headers["if-match"], `"${v1.checksum}"`);
    assert.equal(fake.current()?.version, 2);

    // Stale plan: the server answers 412 and the old ruleset keeps serving.
    await assert.rejects(
      target.publish(makeRuleset(3), { expectedVersion: 1, expectedChecksum: v1.checksum }),
      isCode("EXP4903", /expected version 1, but version 2 is current/),
    );
    await assert.rejects(target.publish(makeRuleset(3), { expectedVersion: undefined, expectedChecksum: undefined }), isCode("EXP4903"));
    // A ruleset the server rejects: its 400 message reaches the user.
    const bad = { ...makeRuleset(3), checksum: "f".repeat(64) };
    await assert.rejects(
      target.publish(bad, { expectedVersion: 2, expectedChecksum: v2.checksum }),
      isCode("EXP4904", /rejected .*ruleset rejected: checksum mismatch/),
    );
    assert.equal(fake.current()?.version, 2);

    const wrong = new HttpTarget({ url, token: "nope", stateDir: join(work, "x") });
    await assert.rejects(wrong.publish(makeRuleset(3), { expectedVersion: 2, expectedChecksum: v2.checksum }), (e: unknown) => {
      isCode("EXP4922", /refused .*401 missing or wrong bearer key/)(e);
      assert.match((e as PublishError).hint ?? "", /ruleset:write/);
      return true;
    });
    const none = new HttpTarget({ url, stateDir: join(work, "y") });
    await assert.rejects(none.publish(makeRuleset(3), { expectedVersion: 2, expectedChecksum: v2.checksum }), isCode("EXP4922", /401/));
    assert.equal(fake.seen.filter((s) => s.method === "PUT").at(-1)!.headers.authorization, undefined);
  });

  test("history endpoints, rollback by re-publishing a stored version, and the local audit log", async () => {
    const target = openPublishTarget({ type: "http", url, token: TOKEN }, work, { verify: verifyFixture });
    assert.deepEqual(await target.versions(), [1, 2]);
    assert.equal((await target.get(1))?.checksum, makeRuleset(1).checksum);
    assert.equal(await target.get(9), undefined);
    const outcome = await rollback(target, { actor: "oncall", now: new Date("2026-05-01T00:00:00Z") });
    assert.equal(outcome.from.version, 2);
    assert.equal(outcome.to.version, 1);
    assert.equal(fake.current()?.version, 1);
    // The audit log of an http target lives in the workspace's .exp/ folder.
    assert.ok(existsSync(join(work, HTTP_STATE_DIR, "audit.log.jsonl")));
    const records = await target.audit();
    // The two earlier publishes had no audit record: reconciliation records the current one first.
    assert.deepEqual(
      records.map((r) => [r.seq, r.action, r.fromVersion, r.toVersion, r.actor]),
      [
        [1, "apply", null, 2, "oncall"],
        [2, "rollback", 2, 1, "oncall"],
      ],
    );
    await appendAuditEntry(target, {
      ts: "2026-05-02T00:00:00.000Z",
      actor: "x",
      sourceCommit: null,
      fromVersion: 1,
      toVersion: 1,
      action: "apply",
      summary: "no-op",
    });
    assert.equal((await target.audit()).length, 3);
  });

  test("a tampered ruleset served by the server fails client-side verification", async () => {
    const tampering = createServer((_req, res) => {
      const r = { ...makeRuleset(4), sourceCommit: "changed" };
      res.writeHead(200, { "content-type": "application/json", etag: `"${r.checksum}"` });
      res.end(JSON.stringify(r));
    });
    const u = await listen(tampering);
    try {
      const target = new HttpTarget({ url: u, stateDir: join(work, "t"), verify: verifyFixture });
      await assert.rejects(target.current(), isCode("EXP4904", /failed verification: checksum mismatch/));
    } finally {
      tampering.close();
    }
  });
});

describe("http target without history endpoints", () => {
  test("versions and get fall back to the current ruleset", async () => {
    const fake = rulesetServer({ history: false });
    const url = await listen(fake.server);
    const work = mkdtempSync(join(tmpdir(), "exp-http2-"));
    try {
      const target = new HttpTarget({ url, token: TOKEN, stateDir: join(work, ".exp", "http-target") });
      assert.deepEqual(await target.versions(), []);
      const v1 = makeRuleset(1);
      await target.publish(v1, { expectedVersion: undefined, expectedChecksum: undefined });
      assert.deepEqual(await target.versions(), [1]);
      assert.equal((await target.get(1))?.checksum, v1.checksum);
      assert.equal(await target.get(0), undefined);
      await assert.rejects(target.activate(0, { expectedVersion: 1, expectedChecksum: v1.checksum }), isCode("EXP4906"));
    } finally {
      fake.server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });

  test("an unreachable server and a missing token variable are clear errors", async () => {
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((r) => closed.close(r));
    const target = new HttpTarget({ url, stateDir: join(tmpdir(), "unused-exp-state") });
    await assert.rejects(target.current(), isCode("EXP4922", /could not reach http .*ECONNREFUSED/));
    const work = mkdtempSync(join(tmpdir(), "exp-http3-"));
    try {
      // Opening the target and reading its local audit log need no token; talking to the server does.
      const unset = openPublishTarget({ type: "http", url, token: "env:EXP_NOT_SET_ANYWHERE" }, work, { env: {} });
      assert.equal(await unset.auditText(), "");
      await assert.rejects(
        unset.current(),
        isCode(
          "EXP1040",
          /^"runtime\.publish\.token" reads the environment variable "EXP_NOT_SET_ANYWHERE", which is not set; export EXP_NOT_SET_ANYWHERE/,
        ),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
