import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { DirectoryTarget } from "../../../src/plan/target/directory.js";
import { sha256Hex } from "../../../src/runtime/server/auth.js";
import { startServer, type RunningServer } from "../../../src/runtime/server/server.js";
import { smallRuleset, storeOptions } from "./fixture.js";
import { waitUntil } from "../../helpers/wait.js";

const KEYS = { admin: "k-admin-123", client: "k-client-456", ingest: "k-ingest-789" };

describe("exp serve over loopback", () => {
  let srv: RunningServer;
  let dir: string;
  const call = async (method: string, path: string, body?: unknown, key: string = KEYS.admin, headers: Record<string, string> = {}) => {
    const res = await fetch(`${srv.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const isJson = (res.headers.get("content-type") ?? "").includes("json");
    return {
      status: res.status,
      headers: res.headers,
      json: text && isJson ? (JSON.parse(text) as Record<string, unknown>) : undefined,
      text,
    };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "exp-serve-"));
    srv = await startServer(
      {
        ...storeOptions(join(dir, "published")),
        dataDir: join(dir, "data"),
        keys: [
          { name: "admin", sha256: sha256Hex(KEYS.admin), scopes: ["evaluate", "ingest", "reports:read", "ruleset:write"] },
          { name: "client", sha256: sha256Hex(KEYS.client), scopes: ["evaluate"] },
          { name: "ingest", sha256: sha256Hex(KEYS.ingest), scopes: ["ingest"] },
        ],
        tokenSecret: randomBytes(32),
        reloadIntervalMs: 50,
      },
      0,
    );
  });
  after(() => srv.close());

  test("not ready until a ruleset is published; PUT publishes it, GET serves it with an ETag", async () => {
    assert.equal((await call("GET", "/healthz")).status, 200);
    assert.equal((await call("GET", "/readyz")).status, 503);
    assert.equal((await call("POST", "/v1/assignments", { experimentKey: "checkout_redesign", userId: "u1" })).status, 503);
    const put = await call("PUT", "/v1/ruleset", smallRuleset(1), KEYS.admin, { "if-none-match": "*" });
    assert.equal(put.status, 200, put.text);
    assert.equal((await call("GET", "/readyz")).status, 200);
    const got = await call("GET", "/v1/ruleset", undefined, KEYS.client);
    assert.equal(got.status, 200);
    const etag = got.headers.get("etag")!;
    assert.equal(etag, `"${smallRuleset(1).checksum}"`);
    assert.equal((await call("GET", "/v1/ruleset", undefined, KEYS.client, { "if-none-match": etag })).status, 304);
  });

  test("unknown paths get 404, known paths with the wrong method 405 naming the allowed ones", async () => {
    assert.equal((await call("GET", "/v1/nowhere")).status, 404);
    const wrong = await call("GET", "/v1/assignments");
    assert.deepEqual([wrong.status, wrong.headers.get("allow")], [405, "POST"]);
    assert.deepEqual([(await call("DELETE", "/v1/ruleset")).headers.get("allow")], ["GET, PUT"]);
  });

  test("auth: no token 401, wrong scope 403", async () => {
    assert.equal((await call("GET", "/v1/ruleset", undefined, "nope")).status, 401);
    assert.equal((await call("PUT", "/v1/ruleset", smallRuleset(2), KEYS.client)).status, 403);
    assert.equal((await call("POST", "/v1/events", { userId: "u", eventName: "x" }, KEYS.client)).status, 403);
  });

  test("a bad or tampered ruleset gets 400 and the old one keeps serving; a stale If-Match gets 412", async () => {
    const bad = { ...smallRuleset(2), checksum: "0".repeat(64) };
    const r = await call("PUT", "/v1/ruleset", bad);
    assert.equal(r.status, 400);
    assert.match(String(r.json?.error), /does not verify/);
    assert.equal((await call("PUT", "/v1/ruleset", "{not json")).status, 400);
    assert.equal((await call("PUT", "/v1/ruleset", smallRuleset(2), KEYS.admin, { "if-match": '"deadbeef"' })).status, 412);
    const cur = await call("GET", "/v1/ruleset", undefined, KEYS.client);
    assert.equal(cur.json?.version, 1);
  });

  test("assignments and flags agree with the ruleset; unknown keys get 404, bad bodies 400", async () => {
    const a = await call(
      "POST",
      "/v1/assignments",
      { experimentKey: "checkout_redesign", userId: "user_42", context: { country: "US" } },
      KEYS.client,
    );
    assert.equal(a.status, 200);
    assert.equal(a.json?.inExperiment, true);
    assert.ok(["control", "one_page"].includes(String(a.json?.variant)));
    assert.equal(typeof a.json?.exposureToken, "string");
    assert.equal(a.json?.url, null, "url is in every assignment response, null for a variant without one");
    const out = await call(
      "POST",
      "/v1/assignments",
      { experimentKey: "checkout_redesign", userId: "user_42", context: { country: "FR" } },
      KEYS.client,
    );
    assert.equal(out.json?.inExperiment, false);
    assert.equal(out.json?.exposureToken, null);
    const f = await call("POST", "/v1/flags/evaluate", { flagKey: "new_search", userId: "user_42" }, KEYS.client);
    assert.deepEqual([f.status, f.json?.value, f.json?.variant, f.json?.killSwitch], [200, true, "on", false]);
    assert.equal((await call("POST", "/v1/flags/evaluate", { flagKey: "nope", userId: "u" }, KEYS.client)).status, 404);
    for (const body of [
      "[1,2]",
      "",
      '{"flagKey": 3, "userId": "u"}',
      '{"experimentKey": "checkout_redesign", "userId": "u", "context": [1]}',
    ]) {
      const r = await call("POST", body.includes("experimentKey") ? "/v1/assignments" : "/v1/flags/evaluate", body, KEYS.client);
      assert.equal(r.status, 400, `${body} → ${r.text}`);
      assert.equal(typeof r.json?.error, "string");
    }
    const all = await call("POST", "/v1/evaluate", { userId: "user_42", context: { country: "US" } }, KEYS.client);
    assert.equal(all.status, 200);
  });

  test("exposures: signed tokens are accepted once; forged or altered ones get 400; summary counts them", async () => {
    // trigger: false assigns without logging, so the exposure counted here is the token's.
    const a = await call("POST", "/v1/assignments", {
      experimentKey: "checkout_redesign",
      userId: "u_77",
      context: { country: "US" },
      trigger: false,
    });
    assert.equal(a.json?.exposureLogged, false);
    const before = (await call("GET", "/v1/experiments/checkout_redesign/summary")).json?.exposures as Record<string, number>;
    const token = String(a.json?.exposureToken);
    assert.equal((await call("POST", "/v1/exposures", { exposureToken: token }, KEYS.ingest)).status, 202);
    const dup = await call("POST", "/v1/exposures", { exposureToken: token }, KEYS.ingest);
    assert.equal(dup.json?.duplicate, true);
    const [body, sig] = token.split(".");
    const altered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), v: "control_x" })).toString(
      "base64url",
    );
    assert.equal((await call("POST", "/v1/exposures", { exposureToken: `${altered}.${sig}` }, KEYS.ingest)).status, 400);
    assert.equal((await call("POST", "/v1/exposures", { exposureToken: "forged.token" }, KEYS.ingest)).status, 400);
    const s = await call("GET", "/v1/experiments/checkout_redesign/summary");
    const counts = s.json?.exposures as Record<string, number>;
    assert.equal(counts.control! + counts.one_page! - (before.control! + before.one_page!), 1);
  });

  test("events: batches are durable on 202 and deduplicated by eventId", async () => {
    const batch = {
      events: [
        { eventId: "e1", userId: "u1", eventName: "purchase", value: 12.5, properties: { revenue: 12.5 } },
        { eventId: "e2", userId: "u2", eventName: "page_view" },
      ],
    };
    const r = await call("POST", "/v1/events", batch, KEYS.ingest);
    assert.deepEqual([r.status, r.json?.accepted], [202, 2]);
    const again = await call("POST", "/v1/events", batch, KEYS.ingest);
    assert.deepEqual([again.status, again.json?.accepted, again.json?.duplicates], [202, 0, 2]);
    assert.equal((await call("POST", "/v1/events", { events: [{ userId: "u", eventName: "x", value: "12" }] }, KEYS.ingest)).status, 400);
    const files = readdirSync(join(dir, "data", "events"));
    const lines = files.flatMap((f) =>
      readFileSync(join(dir, "data", "events", f), "utf8")
        .trim()
        .split("\n"),
    );
    assert.equal(lines.length, 2);
  });

  test("a ruleset published out of band is hot-reloaded without failing requests in flight", async () => {
    const target = new DirectoryTarget(join(dir, "published"));
    const cur = (await target.current())!;
    const next = smallRuleset(cur.version + 1, [2000, 8000]);
    let failures = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const r = await call(
          "POST",
          "/v1/assignments",
          { experimentKey: "checkout_redesign", userId: `u${Math.random()}`, context: { country: "US" } },
          KEYS.client,
        );
        if (r.status !== 200) failures++;
      }
    })();
    await target.publish(next, { expectedVersion: cur.version, expectedChecksum: cur.checksum });
    await waitUntil(async () => (await call("GET", "/v1/ruleset", undefined, KEYS.client)).json?.version === next.version, 15_000, 20);
    stop = true;
    await load;
    assert.equal((await call("GET", "/v1/ruleset", undefined, KEYS.client)).json?.version, next.version);
    assert.equal(failures, 0);
    const metrics = await call("GET", "/metrics");
    assert.match(metrics.text, new RegExp(`exp_ruleset_version ${next.version}`));
  });
});
