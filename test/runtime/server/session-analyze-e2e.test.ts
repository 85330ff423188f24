// A session experiment end to end: a real `exp serve` assigns sessions (hashing the session id) and
// logs their exposures with the user beside the session, events carry their session, compaction
// writes Parquet, and `exp analyze` counts sessions as units, attributes events by session_id, and
// clusters the user-level metric by user. The expected numbers are computed here from what was posted.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exampleRepo, exp } from "../../helpers/workspace.js";
import { startServe, stopServe, type Served } from "./serve-process.js";
import { mulberry32 } from "../../helpers/prng.js";
import { waitUntil } from "../../helpers/wait.js";
import { bucket, pickIndex } from "../../../src/ruleset/hash.js";

const SEED = 20261206;
const EXPERIMENT = `# a session-randomised banner
experiment: session_banner
status: running
unit: session
schedule: {start: 2026-11-01T00:00:00Z}
variants:
  control: {weight: 50}
  banner: {weight: 50}
metrics:
  primary: [session_purchases]
  secondary: [revenue_per_user]
  guardrails: [checkout_errors]
`;
const SESSION_METRIC = `metric: session_purchases
unit: session
expr: count(purchase)
`;

async function post(url: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.status === 200 || res.status === 202, `${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function allCompacted(dataDir: string): boolean {
  return ["events", "exposures"].every((k) => readdirSync(join(dataDir, k)).every((f) => statSync(join(dataDir, k, f)).size === 0));
}

interface Session {
  user: string;
  variant: string;
  purchases: number;
  revenue: number;
}

/** The cluster-robust SE of the difference of per-session means, straight from its definition (CR1, as statsmodels). */
function clusteredSe(sessions: Session[], treatment: string, control: string): number {
  const arms = sessions.filter((s) => s.variant === treatment || s.variant === control);
  const mean = (v: string) => {
    const xs = arms.filter((s) => s.variant === v);
    return { n: xs.length, m: xs.reduce((a, s) => a + s.revenue, 0) / xs.length };
  };
  const t = mean(treatment);
  const c = mean(control);
  const byUser = new Map<string, number>();
  for (const s of arms) {
    // The difference's influence: a treatment session adds e/n_t, a control session subtracts e/n_c.
    const term = s.variant === treatment ? (s.revenue - t.m) / t.n : -(s.revenue - c.m) / c.n;
    byUser.set(s.user, (byUser.get(s.user) ?? 0) + term);
  }
  const g = byUser.size;
  const n = arms.length;
  const sum = [...byUser.values()].reduce((a, x) => a + x * x, 0);
  return Math.sqrt((g / (g - 1)) * ((n - 1) / (n - 2)) * sum);
}

describe("session experiments: exp serve → Parquet → exp analyze", () => {
  let dir: string;
  let server: Served | undefined;
  before(() => {
    dir = exampleRepo("exp-session-e2e-");
    const yaml = readFileSync(join(dir, "exp.yaml"), "utf8");
    writeFileSync(
      join(dir, "exp.yaml"),
      yaml.replace("    prod: {", '    collected: {type: duckdb, files: [".exp/server/parquet/*/*.parquet"]}\n    prod: {'),
    );
    writeFileSync(join(dir, "experiments", "session_banner.yaml"), EXPERIMENT);
    writeFileSync(join(dir, "metrics", "session_purchases.yaml"), SESSION_METRIC);
    const applied = exp(dir, ["apply", "--auto-approve"]);
    assert.equal(applied.status, 0, applied.stderr + applied.stdout);
  });
  after(async () => {
    if (server) await stopServe(server.child);
    rmSync(dir, { recursive: true, force: true });
  });

  test("sessions are the units, events follow their session, the user-level metric is clustered by user", async () => {
    const base = Date.parse("2026-11-10T00:00:00Z");
    server = await startServe(dir, ["--no-auth", "--compact-every", "0.3"], { EXP_NOW: new Date(base).toISOString() });
    const { url } = server;
    const rand = mulberry32(SEED);
    const sessions: Session[] = [];
    const events: Record<string, unknown>[] = [];
    const later = (h: number) => new Date(base + h * 3_600_000).toISOString();
    for (let u = 0; u < 60; u++) {
      const userId = `user_${u}`;
      const taste = rand() * 2; // users differ, and their sessions resemble each other
      const visits = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < visits; k++) {
        const sessionId = `${userId}-s${k}`;
        const a = await post(url, "/v1/assignments", { experimentKey: "session_banner", userId, sessionId });
        // Holdouts stay per user: a held-out user is out in every session.
        if (!a.inExperiment) {
          assert.match(String((a.reasons as string[])[1]), /^in_holdout:/);
          continue;
        }
        assert.equal(a.hashKey, sessionId);
        // The variant is the session's own bucket, whoever the user is.
        const expected = pickIndex([5000, 5000], bucket("variant:session_banner:1", sessionId)) === 0 ? "control" : "banner";
        assert.equal(a.variant, expected);
        assert.equal(a.exposureLogged, true);
        const s: Session = { user: userId, variant: String(a.variant), purchases: 0, revenue: 0 };
        sessions.push(s);
        const purchases = rand() < 0.3 * taste ? 1 + Math.floor(rand() * 3) : 0;
        for (let p = 0; p < purchases; p++) {
          const amount = Math.round((10 + taste * 40 + rand() * 20) * 100) / 100;
          s.purchases++;
          s.revenue += amount;
          events.push({
            eventId: `${sessionId}-p${p}`,
            userId,
            sessionId,
            eventName: "purchase",
            ts: later(1 + k + p / 10),
            properties: { revenue: amount },
          });
        }
      }
      // A purchase outside any session is the user's, but no session's: a session analysis ignores it.
      if (rand() < 0.3)
        events.push({ eventId: `${userId}-nosession`, userId, eventName: "purchase", ts: later(2), properties: { revenue: 500 } });
    }
    const units: Record<string, number> = {};
    for (const s of sessions) units[s.variant] = (units[s.variant] ?? 0) + 1;
    assert.ok(Object.values(units).length === 2 && Object.values(units).every((n) => n > 20), JSON.stringify(units));
    assert.ok(new Set(sessions.map((s) => s.user)).size < sessions.length, "some users have several sessions");
    for (let i = 0; i < events.length; i += 50) await post(url, "/v1/events", { events: events.slice(i, i + 50) });

    const dataDir = join(dir, ".exp", "server");
    assert.ok(await waitUntil(() => allCompacted(dataDir), 20_000, 50), "the segments were not compacted");
    const r = exp(dir, ["analyze", "session_banner", "--connection", "collected", "--format", "json"]);
    assert.equal(r.status, 0, r.stderr);
    const analysis = JSON.parse(r.stdout);
    assert.deepEqual(analysis.units, units);
    assert.equal(analysis.multiple_exposures, 0);

    const metric = (key: string) => analysis.metrics.find((m: { metric: string }) => m.metric === key);
    const purchases = metric("session_purchases");
    const revenue = metric("revenue_per_user");
    for (const v of Object.keys(units)) {
      const mine = sessions.filter((s) => s.variant === v);
      const count = mine.reduce((a, s) => a + s.purchases, 0);
      const sum = mine.reduce((a, s) => a + s.revenue, 0);
      assert.equal(purchases.variants[v].n, units[v]);
      assert.ok(Math.abs(purchases.variants[v].mean * units[v]! - count) < 1e-9, `${v}: purchases`);
      assert.equal(revenue.variants[v].n, units[v]);
      assert.ok(
        Math.abs(revenue.variants[v].mean * units[v]! - sum) < 1e-6,
        `${v}: revenue ${revenue.variants[v].mean * units[v]!} vs ${sum}`,
      );
    }
    // The CI half-width is 1.959964 SE (normal inference).
    const c = revenue.comparisons[0];
    const se = (c.diff_ci[1] - c.diff_ci[0]) / (2 * 1.959963984540054);
    const want = clusteredSe(sessions, "banner", "control");
    assert.ok(Math.abs(se - want) < 1e-6 * want, `clustered SE ${se} vs ${want}`);
  });
});
