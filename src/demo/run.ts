import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { AnalyzeJson } from "../analysis/analyze.js";
import { analyzeExperiments } from "../app/analyze.js";
import { loadWorkspaceFrom } from "../app/load-workspace.js";
import { planWorkspace } from "../app/plan-workspace.js";
import { publishPlan } from "../app/publish.js";
import { serveWorkspace } from "../app/serve.js";
import { writeReports } from "../app/write-reports.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { InternalError } from "../diagnostics/errors.js";
import { createEvaluator } from "../runtime/evaluator.js";
import { sha256Hex } from "../runtime/server/auth.js";
import { pEquals } from "../stats/decision.js";
import type { Workspace } from "../workspace/model.js";
import { bucket } from "../ruleset/hash.js";
import { holdoutComparison } from "../analysis/holdout-comparison.js";
import { DEMO_EFFECTS, DEMO_EXPECTATIONS, DEMO_HOLDOUT, DEMO_OFF_POLICY, DEMO_PREFERENCE, DEMO_SRM } from "./effects.js";
import { appendInterleavingSessions } from "./interleaving.js";
import { generateDemoData } from "./generate.js";
import { writeLoggedDecisions } from "./logged-decisions.js";
import { scaffoldDemoRepo } from "./scaffold.js";
import { loadDemoWarehouse } from "./warehouse.js";

export interface DemoOptions {
  dir: string;
  /** Units in the synthetic population. */
  units: number;
  seed: number;
  log(line: string): void;
}

export interface DemoOutcome {
  analyses: Record<string, AnalyzeJson>;
  expectations: { experiment: string; what: string; held: boolean }[];
  reports: string[];
}

/** The synthetic data starts the day after the last running experiment in the example starts. */
export const DEMO_START = new Date("2026-11-16T00:00:00Z");
export const DEMO_DAYS = 28;
const DAY = 86_400_000;

/** The example ships with exp: a step that fails on it is a bug, not something the user can fix. */
function shipped<T>(r: { value?: T; diagnostics: Diagnostic[] }, what: string): T {
  if (r.value !== undefined) return r.value;
  const first = r.diagnostics.find((d) => d.severity === "error");
  throw new InternalError(`${what}: ${first ? `${first.code} ${first.message}` : "no diagnostic"}`);
}

/**
 * The main job end to end on the embedded example, through the same use cases as the commands:
 * scaffold a git repository, validate, plan, apply, serve (a few real HTTP calls), generate a
 * warehouse with planted effects, analyse, report.
 */
export async function runDemo(o: DemoOptions): Promise<DemoOutcome> {
  const t0 = Date.now();
  const step = (name: string, detail: string) => o.log(`${`✔ ${name}`.padEnd(12)} ${detail}  ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  await scaffoldDemoRepo(o.dir);
  step("init", `example workspace committed in ${o.dir}`);

  const loaded = await loadWorkspaceFrom({ dir: o.dir });
  const ws = shipped(
    { value: hasErrors(loaded.diagnostics) ? undefined : loaded.value, diagnostics: loaded.diagnostics },
    "the example workspace does not validate",
  );
  step(
    "validate",
    `${ws.experiments.size} experiments, ${ws.flags.size} flags, ${ws.metrics.size} metrics, ${ws.segments.size} segments: no errors`,
  );

  const ctx = shipped(await planWorkspace(ws, { now: DEMO_START }), "the example workspace does not compile");
  const s = ctx.plan.summary;
  const failed = ctx.plan.checks.filter((c) => c.status === "failed").map((c) => c.name);
  step(
    "plan",
    `${s.create} to create, ${s.update} to update, ${s.delete} to delete; checks ${failed.length ? `failed: ${failed.join(", ")}` : "passed"}`,
  );
  const applied = await publishPlan(ctx, { actor: "exp demo" });
  step("apply", `published v${applied.toVersion} (${applied.checksum.slice(0, 12)}) with audit record #${applied.record.seq}`);

  const published = (await ctx.target.current())!.ruleset;
  await serveStep(ws, step);

  const evaluator = createEvaluator(published);
  const experiments: Record<string, string[]> = {};
  const phases: Record<string, number> = {};
  for (const e of ws.experiments.values()) {
    if (e.status === "running" && e.unit === ws.settings.units[0] && e.type !== "interleaving" && e.type !== "bandit") {
      experiments[e.key] = e.variants.map((v) => v.key);
      phases[e.key] = published.experiments[e.key]?.phase ?? e.phase;
    }
  }
  const csvDir = join(o.dir, ".exp", "demo-data");
  const counts = generateDemoData(ws.settings, csvDir, {
    units: o.units,
    seed: o.seed,
    start: DEMO_START,
    days: DEMO_DAYS,
    historyDays: 14,
    effects: DEMO_EFFECTS,
    srm: DEMO_SRM,
    shipped: {
      inHoldout: (unit) => bucket(`holdout:${DEMO_HOLDOUT.holdout}`, unit) < (published.holdouts[DEMO_HOLDOUT.holdout]?.traffic ?? 0),
      event: DEMO_HOLDOUT.event,
      rate: DEMO_HOLDOUT.rate,
    },
    itemProperties: { [DEMO_PREFERENCE.clickEvent]: DEMO_PREFERENCE.itemProperty },
    experiments,
    phases,
    assign: (exp, unit, attrs, at) => {
      const r = evaluator.assign(exp, unit, attrs, at);
      return r.inExperiment ? r.variant : null;
    },
  });
  const interleaved = appendInterleavingSessions(csvDir, evaluator, DEMO_PREFERENCE, {
    seed: o.seed,
    start: DEMO_START,
    days: DEMO_DAYS,
    phase: published.experiments[DEMO_PREFERENCE.experiment]?.phase ?? 1,
  });
  counts.exposures += interleaved.exposures;
  counts.events += interleaved.events;
  const local = ws.settings.warehouse.connections[ws.settings.warehouse.default];
  const dbPath = local?.type === "duckdb" && local.path ? join(o.dir, local.path) : join(o.dir, ".exp/warehouse.duckdb");
  await loadDemoWarehouse(dbPath, csvDir, ws.settings.warehouse.tables);
  const evaluation = ws.evaluations?.get(DEMO_OFF_POLICY.evaluation);
  const planted = evaluation
    ? await writeLoggedDecisions(dbPath, join(csvDir, "decisions.csv"), evaluation, { ...DEMO_OFF_POLICY, seed: o.seed })
    : undefined;
  if (planted)
    o.log(
      `    ${DEMO_OFF_POLICY.decisions.toLocaleString("en-US")} logged decisions in ${evaluation!.table}: true click-through ${(planted.logging * 100).toFixed(2)}% logged, ${(planted.target * 100).toFixed(2)}% under the target policy`,
    );
  step(
    "data",
    `${counts.units.toLocaleString("en-US")} units, ${counts.exposures.toLocaleString("en-US")} exposures, ${counts.events.toLocaleString("en-US")} events in ${dbPath.slice(o.dir.length + 1)}`,
  );

  const asOf = new Date(DEMO_START.getTime() + DEMO_DAYS * DAY).toISOString();
  const holdout = shipped(
    { value: holdoutComparison(ws, DEMO_HOLDOUT.holdout, [DEMO_HOLDOUT.metric], DEMO_START.toISOString()).experiment, diagnostics: [] },
    "the demo holdout is not declared",
  );
  const analysed = [...[...Object.keys(experiments), DEMO_PREFERENCE.experiment].sort().map((key) => ws.experiments.get(key)!), holdout];
  const analyses = shipped(await analyzeExperiments(ws, analysed, { asOf }), "the demo analysis failed");
  step("analyze", `${Object.keys(analyses).length} experiments as of ${asOf.slice(0, 10)}`);
  for (const [key, a] of Object.entries(analyses)) o.log(`    ${summaryLine(key, a)}`);

  const expectations = DEMO_EXPECTATIONS.map((x) => ({
    experiment: x.experiment,
    what: x.what,
    held: analyses[x.experiment] ? x.holds(analyses[x.experiment] as never) : false,
  }));
  o.log("  planted effects:");
  for (const x of expectations) o.log(`    ${x.held ? "✔" : "✘"} ${x.experiment}: ${x.what}`);

  const reported = analysed;
  const written = shipped(await writeReports(ws, reported, { asOf, points: 5, commit: true }), "the demo reports failed");
  const reports = written.reports.map((w) => w.markdownPath);
  step("report", `${reports.length} reports committed`);
  for (const r of reports) o.log(`    ${join(o.dir, r)}`);
  return { analyses, expectations, reports };
}

async function serveStep(ws: Workspace, step: (name: string, detail: string) => void): Promise<void> {
  const key = randomBytes(16).toString("hex");
  const { server } = await serveWorkspace(ws, {
    port: 0,
    host: "127.0.0.1",
    dataDir: join(ws.root, ".exp/server"),
    keys: [{ name: "demo", sha256: sha256Hex(key), scopes: ["evaluate", "ingest", "reports:read"] }],
    noAuth: false,
    tokenSecret: randomBytes(32),
    // The demo prints its own summary of the step; a JSON line per request would bury it.
    quiet: true,
    // The demo's shop lives in its generated data's time, whatever today's date is.
    clock: () => DEMO_START.getTime() + 7 * DAY,
  });
  try {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new InternalError(`${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const n = 200;
    const started = performance.now();
    let enrolled = 0;
    let exposures = 0;
    for (let i = 0; i < n; i++) {
      const a = await post("/v1/assignments", {
        experimentKey: "checkout_redesign",
        userId: `visitor_${i}`,
        context: { country: i % 3 ? "US" : "CA", platform: "web" },
      });
      if (a.inExperiment) {
        enrolled++;
        await post("/v1/exposures", { exposureToken: a.exposureToken });
        exposures++;
      }
    }
    const ms = (performance.now() - started) / n;
    const flag = await post("/v1/flags/evaluate", { flagKey: "new_search", userId: "user_42" });
    const events = await post("/v1/events", {
      events: Array.from({ length: 500 }, (_, i) => ({
        eventId: `demo_${i}`,
        userId: `visitor_${i % n}`,
        eventName: i % 10 ? "page_view" : "purchase",
        value: i % 10 ? undefined : 42,
      })),
    });
    step(
      "serve",
      `${server.url}: ${n} assignments (${ms.toFixed(2)} ms each, ${enrolled} enrolled), ${exposures} exposures, ${String(events.accepted)} events fsynced; new_search for user_42 = ${JSON.stringify(flag.value)} (${String(flag.reason)})`,
    );
  } finally {
    await server.close();
  }
}

function summaryLine(key: string, a: AnalyzeJson): string {
  const j = a.interleaving;
  // Every unit of an interleaving experiment sees both rankers: its result is the preference, not a lift.
  if (j) {
    const [ra, rb] = j.rankers;
    const n = (x: number) => x.toLocaleString("en-US");
    return `${key.padEnd(22)} ${a.decision.recommendation.padEnd(12)} units preferring ${rb} ${n(j.wins_b)} vs ${ra} ${n(j.wins_a)} (${pEquals(j.p_value)}); ${j.winner ?? "no ranker"} preferred`;
  }
  const primary = a.metrics.find((m) => m.tier === "primary");
  const c = primary?.comparisons[0];
  const lift =
    c && c.rel_lift !== null
      ? `${primary!.metric} ${(c.rel_lift * 100).toFixed(2)}% (${pEquals(c.p_value_adjusted)})`
      : "no primary result";
  const srm = a.srm.ok ? "SRM ok" : `SRM p=${a.srm.p_value?.toExponential(1)}`;
  const breached = a.guardrails.filter((g) => g.breached).map((g) => g.metric);
  // A holdout has nothing to ship or roll back: its lift is what shipping did (as exp analyze says).
  const recommendation = a.holdout ? "none" : a.decision.recommendation;
  return `${key.padEnd(22)} ${recommendation.padEnd(12)} ${lift}; ${srm}${breached.length ? `; guardrail breached: ${breached.join(", ")}` : ""}`;
}
