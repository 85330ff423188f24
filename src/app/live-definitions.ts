import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { AggregateExpr, Expr } from "../dsl/index.js";
import { metricDesigns, statsKind } from "../analysis/analyze.js";
import { lowerCondition } from "../compiler/ruleset/condition.js";
import type {
  LiveAggregate,
  LiveAggregateFn,
  LiveDefinitions,
  LiveExperiment,
  LiveMetric,
  LiveValue,
} from "../runtime/server/live/definitions.js";
import { ROLLOUT_ARMS, rolloutGuardKey } from "../ruleset/types.js";
import type { AttributeType, Experiment, Guard, Metric, Workspace } from "../workspace/model.js";
import { SESSION_UNIT } from "../workspace/model.js";

const LIVE_FNS = new Set<string>(["count", "sum", "any", "mean", "min", "max"]);
/** Names a `where` may read besides the event's properties (compiler/sql/event-property.ts). */
const EVENT_NAMES = new Set(["value", "days_since_exposure", "hours_since_exposure"]);

/**
 * The live definitions of a workspace: every experiment that is not archived, with its metrics
 * reduced to per-unit aggregates the server keeps as events arrive. What the server cannot follow
 * incrementally (quantiles, distinct counts, a user metric of a session experiment, a filter the
 * runtime cannot evaluate) is named with its reason; the summary reports it as not available live.
 */
export function liveDefinitions(ws: Workspace): LiveDefinitions {
  const experiments: Record<string, LiveExperiment> = {};
  for (const e of ws.experiments.values()) {
    if (e.status === "archived") continue;
    experiments[e.key] = liveExperiment(ws, e);
  }
  for (const f of ws.flags.values())
    for (const r of f.rules) if (r.kind === "rollout" && r.guard) experiments[rolloutGuardKey(f.key, r.name)] = liveRollout(ws, r.guard);
  return { srmThreshold: ws.settings.defaults.srm_threshold, experiments };
}

/**
 * A guarded rollout as the server follows it: the units it served the rolled-out variant against
 * the units its percentage left on the default (logged as exposures of the guard's key), compared
 * on the guard's metrics, each a guardrail with its margin, at exp.yaml's `defaults.alpha`.
 */
function liveRollout(ws: Workspace, guard: Guard): LiveExperiment {
  const metrics = guard.metrics.flatMap((key): LiveMetric[] => {
    const metric = ws.metrics.get(key);
    if (!metric) return [];
    const design = {
      metric: key,
      tier: "guardrail" as const,
      kind: statsKind(metric.kind),
      direction: metric.direction,
      ...(metric.guardrail ? { maxRegression: metric.guardrail.max_regression } : {}),
      cuped: false,
    };
    const plan =
      metric.window.seconds > 0 ? metricPlan(ws, metric) : { unavailable: `the window ${metric.window.text} is not a positive duration` };
    return ["unavailable" in plan ? { design, unavailable: plan.unavailable } : { design, ...plan }];
  });
  return {
    control: ROLLOUT_ARMS.control,
    alpha: ws.settings.defaults.alpha,
    correction: "none",
    sessionUnit: false,
    excludedUnits: [],
    metrics,
  };
}

function liveExperiment(ws: Workspace, e: Experiment): LiveExperiment {
  const sessionUnit = e.unit === SESSION_UNIT;
  const metrics = metricDesigns(ws, e).map(({ metric, design }): LiveMetric => {
    // Live statistics have no pre-period: a comparison is never CUPED-adjusted.
    const d = { ...design, cuped: false };
    const reason = unavailableReason(ws, e, metric, sessionUnit);
    if (reason) return { design: d, unavailable: reason };
    const plan = metricPlan(ws, metric);
    return "unavailable" in plan ? { design: d, unavailable: plan.unavailable } : { design: d, ...plan };
  });
  return {
    control: e.control,
    alpha: e.analysis.alpha,
    correction: e.analysis.correction,
    ...(e.analysis.tuning_n !== undefined ? { tuningN: e.analysis.tuning_n } : {}),
    sessionUnit,
    excludedUnits: [...new Set(Object.values(e.overrides ?? {}).flat())],
    metrics,
  };
}

function unavailableReason(ws: Workspace, e: Experiment, metric: Metric, sessionUnit: boolean): string | undefined {
  if (metric.kind === "quantile") return "a quantile needs every event value; it is not available live";
  if (metric.kind === "count_distinct") return "a distinct count needs every id; it is not available live";
  if (sessionUnit && metric.unit !== SESSION_UNIT)
    return "a user metric of a session experiment is clustered by user; it is not available live";
  if (e.identity === "anonymous")
    return "events of an anonymous experiment are stitched through the identity map; they are not available live";
  if (!(metric.window.seconds > 0)) return `the window ${metric.window.text} is not a positive duration`;
  void ws;
  return undefined;
}

function metricPlan(ws: Workspace, metric: Metric): Omit<Extract<LiveMetric, { windowMs: number }>, "design"> | { unavailable: string } {
  const aggregates: LiveAggregate[] = [];
  const problems: string[] = [];
  const aggregate = (a: AggregateExpr): number => {
    const compiled = liveAggregate(ws, a, problems);
    aggregates.push(compiled);
    return aggregates.length - 1;
  };
  const value = (x: Expr): LiveValue => {
    switch (x.kind) {
      case "aggregate":
        return { op: "agg", index: aggregate(x) };
      case "number":
      case "percent":
        return { op: "num", value: x.value };
      case "unary":
        return { op: "neg", arg: value(x.operand) };
      case "binary":
        if (x.op === "+" || x.op === "-" || x.op === "*" || x.op === "/") return { op: x.op, args: [value(x.left), value(x.right)] };
        problems.push(`the operator "${x.op}" has no per-unit value`);
        return { op: "num", value: NaN };
      default:
        problems.push(`a ${x.kind} has no per-unit value`);
        return { op: "num", value: NaN };
    }
  };
  const planned =
    metric.kind === "ratio" && metric.numerator && metric.denominator
      ? { shape: "ratio" as const, num: value(metric.numerator), den: value(metric.denominator) }
      : { shape: "mean" as const, y: value(metric.expr) };
  if (problems.length > 0) return { unavailable: `${problems[0]}; it is not available live` };
  return { windowMs: Math.round(metric.window.seconds) * 1000, aggregates, value: planned };
}

function liveAggregate(ws: Workspace, a: AggregateExpr, problems: string[]): LiveAggregate {
  if (!LIVE_FNS.has(a.fn)) problems.push(`the aggregate "${a.fn}" cannot be kept per unit`);
  const out: { -readonly [K in keyof LiveAggregate]: LiveAggregate[K] } = { fn: a.fn as LiveAggregateFn, event: a.event };
  if (a.property !== undefined) out.property = a.property;
  else if (a.fn !== "count" && a.fn !== "any") out.property = "value";
  if (a.where) {
    const types: Record<string, AttributeType> = { ...(ws.settings.events[a.event] ?? {}), value: "number" };
    const diags: Diagnostic[] = [];
    const where = lowerCondition(withoutEventPrefix(a.where, a.event), types, diags);
    if (diags.length > 0) problems.push(`the filter of "${a.event}" has no runtime form`);
    out.where = where;
    if (readsEvent(a.where)) out.whereReadsEvent = true;
  }
  return out;
}

/** `purchase.revenue` inside a filter on purchase means `revenue`, as in SQL (compiler/sql/condition.ts). */
function withoutEventPrefix(x: Expr, event: string): Expr {
  const walk = (e: Expr): Expr => {
    switch (e.kind) {
      case "path":
        return e.segments.length === 2 && e.segments[0]!.name === event ? { ...e, segments: [e.segments[1]!] } : e;
      case "unary":
        return { ...e, operand: walk(e.operand) };
      case "binary":
        return { ...e, left: walk(e.left), right: walk(e.right) };
      case "in":
        return { ...e, value: walk(e.value), list: { ...e.list, items: e.list.items.map(walk) } };
      case "between":
        return { ...e, value: walk(e.value), low: walk(e.low), high: walk(e.high) };
      case "is_null":
      case "matches":
        return { ...e, value: walk(e.value) };
      case "call":
        return { ...e, args: e.args.map(walk) };
      default:
        return e;
    }
  };
  return walk(x);
}

function readsEvent(x: Expr): boolean {
  switch (x.kind) {
    case "path":
      return EVENT_NAMES.has(x.segments.at(-1)!.name);
    case "unary":
      return readsEvent(x.operand);
    case "binary":
      return readsEvent(x.left) || readsEvent(x.right);
    case "in":
      return readsEvent(x.value) || x.list.items.some(readsEvent);
    case "between":
      return readsEvent(x.value) || readsEvent(x.low) || readsEvent(x.high);
    case "is_null":
    case "matches":
      return readsEvent(x.value);
    case "call":
      return x.args.some(readsEvent);
    default:
      return false;
  }
}
