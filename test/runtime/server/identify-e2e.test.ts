// Identity stitching end to end: a real `exp serve` (with privacy.hash_unit_ids) assigns anonymous
// visitors, takes their identify calls (POST /v1/identify) and the purchases they make after login
// under their user id; compaction writes the identities table beside exposures and events, and
// `exp analyze` finds the planted effect only because it stitches the purchases back to the
// anonymous units. The expected sums are computed here from what was posted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { mulberry32 } from "../../helpers/prng.js";
import { waitUntil } from "../../helpers/wait.js";
import { filesUnder } from "./privacy-fixture.js";
import { call, startServe, stopServe, type Served } from "./serve-process.js";

const ENV = { EXP_UNIT_ID_SECRET: "a-unit-id-secret-of-32-bytes-xyz" };
const EXPERIMENT = `# randomised before login, on the visitor's anonymous id
experiment: signup_wall
status: running
identity: anonymous
schedule: {start: 2026-11-01T00:00:00Z}
variants:
  control: {weight: 50}
  wall: {weight: 50}
metrics:
  primary: [revenue_per_user]
analysis: {identity_window: 7d}
`;

function allCompacted(dataDir: string): boolean {
  return ["events", "exposures", "identities"].every((k) =>
    readdirSync(join(dataDir, k)).every((f) => statSync(join(dataDir, k, f)).size === 0),
  );
}

describe("identify: exp serve → Parquet identities → exp analyze", () => {
  let dir: string;
  let server: Served | undefined;
  before(() => {
    dir = exampleRepo("exp-identify-e2e-");
    const yaml = readFileSync(join(dir, "exp.yaml"), "utf8")
      .replace("hash_unit_ids: false", "hash_unit_ids: true")
      .replace("    prod: {", '    collected: {type: duckdb, files: [".exp/server/parquet/*/*.parquet"]}\n    prod: {');
    writeFileSync(join(dir, "exp.yaml"), yaml);
    writeFileSync(join(dir, "experiments", "signup_wall.yaml"), EXPERIMENT);
    const applied = exp(dir, ["apply", "--auto-approve"], ENV);
    assert.equal(applied.status, 0, applied.stderr + applied.stdout);
  });
  after(async () => {
    if (server) await stopServe(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("bad calls are refused with a reason; a retry is stored once; no consent, nothing stored", async () => {
    server = await startServe(dir, ["--no-auth", "--compact-every", "0.3"], { ...ENV, EXP_NOW: "2026-11-10T00:00:00Z" });
    const identify = (body: unknown) => call(server!.url, "POST", "/v1/identify", { body });
    for (const [body, message] of [
      [{ userId: "u" }, /the identify call: "anonymousId" is required/],
      [{ anonymousId: "a", userId: 7 }, /the identify call: "userId" must be a string/],
      [{ anonymousId: "a", userId: "a" }, /"userId" equals "anonymousId"/],
      [{ anonymousId: "a", userId: "u", ts: "yesterday" }, /"ts"/],
      [{ anonymousId: "a", userId: "u", ts: "2027-01-01T00:00:00Z" }, /"ts" is later than the server's clock/],
      [{ identities: [] }, /"identities" is empty/],
      [{ identities: [{ anonymousId: "a", userId: "u" }, { anonymousId: "b" }] }, /identify call 1: "userId" is required/],
    ] as const) {
      const r = await identify(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status}`);
      assert.match(String(r.json!.error), message);
    }
    const first = await identify({ identifyId: "id-1", anonymousId: "anon_dup", userId: "user_dup" });
    assert.deepEqual([first.status, first.json], [202, { accepted: 1, duplicates: 0 }]);
    const again = await identify({ identifyId: "id-1", anonymousId: "anon_dup", userId: "user_dup" });
    assert.deepEqual([again.status, again.json], [202, { accepted: 0, duplicates: 1 }]);
    const timed = { anonymousId: "anon_dup", userId: "user_dup", ts: "2026-11-09T00:00:00Z" };
    assert.deepEqual((await identify({ identities: [timed, timed] })).json, { accepted: 1, duplicates: 1 });
    const refused = await identify({ anonymousId: "anon_private", userId: "user_private", consent: false });
    assert.deepEqual([refused.status, refused.json], [202, { accepted: 0, duplicates: 0, withoutConsent: 1 }]);
  });

  test("the purchases users make after login count for the anonymous units they were", async () => {
    const { url } = server!;
    const rand = mulberry32(20261206);
    const base = Date.parse("2026-11-10T00:00:00Z");
    const raw: string[] = [];
    const units: Record<string, number> = {};
    const revenue: Record<string, number> = {};
    const identities: unknown[] = [];
    const events: unknown[] = [];
    for (let i = 0; i < 120; i++) {
      const anonymousId = `anonvisitor${i}q`;
      const userId = `loggeduser${i}q`;
      raw.push(anonymousId, userId);
      const a = await call(url, "POST", "/v1/assignments", { body: { experimentKey: "signup_wall", userId: anonymousId } });
      assert.equal(a.status, 200, a.text);
      if (!a.json!.inExperiment) continue;
      assert.equal(a.json!.exposureLogged, true);
      const variant = String(a.json!.variant);
      units[variant] = (units[variant] ?? 0) + 1;
      identities.push({ identifyId: `login-${i}`, anonymousId, userId });
      // The wall converts better: the effect lives only in purchases logged under the user id.
      const amount = Math.round(((variant === "wall" ? 60 : 30) + rand() * 20) * 100) / 100;
      revenue[variant] = (revenue[variant] ?? 0) + amount;
      events.push({
        eventId: `buy-${i}`,
        userId,
        eventName: "purchase",
        ts: new Date(base + 3_600_000).toISOString(),
        properties: { revenue: amount },
      });
    }
    assert.ok(Object.keys(units).length === 2 && Object.values(units).every((n) => n > 30), JSON.stringify(units));
    const ids = await call(url, "POST", "/v1/identify", { body: { identities } });
    assert.deepEqual(ids.json, { accepted: identities.length, duplicates: 0 });
    const ev = await call(url, "POST", "/v1/events", { body: { events } });
    assert.equal(ev.json!.accepted, events.length);

    const dataDir = join(dir, ".exp", "server");
    assert.ok(await waitUntil(() => allCompacted(dataDir), 20_000, 50), "the segments were not compacted");
    assert.ok(readdirSync(join(dataDir, "parquet", "identities")).some((f) => f.endsWith(".parquet")));
    assert.deepEqual(
      filesUnder(dataDir).flatMap((f) => raw.filter((id) => readFileSync(f).includes(Buffer.from(id))).map((id) => `${f}: ${id}`)),
      [],
      "no raw id is stored",
    );

    const r = exp(dir, ["analyze", "signup_wall", "--connection", "collected", "--format", "json"], ENV);
    assert.equal(r.status, 0, r.stderr);
    const analysis = JSON.parse(r.stdout);
    assert.deepEqual(analysis.units, units);
    const metric = analysis.metrics.find((m: { metric: string }) => m.metric === "revenue_per_user");
    for (const v of Object.keys(units)) {
      const sum = metric.variants[v].mean * units[v]!;
      assert.ok(Math.abs(sum - revenue[v]!) < 1e-6, `${v}: ${sum} vs ${revenue[v]}`);
    }
    const c = metric.comparisons[0];
    assert.ok(c.diff > 20 && c.p_value < 0.001, JSON.stringify(c));
  });
});
