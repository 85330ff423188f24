// Builds typed workspaces in memory for SQL and analysis tests: metric expressions go through the
// real parser and metric checks, so kinds and aggregates are what the loader would produce.
import { SourceFile } from "../../../src/diagnostics/source.js";
import { DEFAULT_ANALYSIS } from "../../../src/workspace/build/settings.js";
import { checkMetricExpr, parseMetricExpr, wholeFileOrigin, type CheckEnv } from "../../../src/dsl/index.js";
import type { Experiment, Metric, Origin, PropertyType, Settings, Workspace } from "../../../src/workspace/model.js";

const DAY = 86400;
const origin = (file: string): Origin => ({ file, values: {}, keys: {} });

export const EVENTS: Record<string, Record<string, PropertyType>> = {
  purchase: { revenue: "number", currency: "string", coupon: "string" },
  page_view: {},
  impression: { position: "number" },
  click: { position: "number" },
  page_load: { latency_ms: "number" },
  app_open: {},
  signup: { is_gift: "boolean", plan: "string", signup_day: "date" },
};

export function makeSettings(overrides: Partial<Settings["warehouse"]> & { cupedLookbackDays?: number } = {}): Settings {
  const { cupedLookbackDays = 14, ...warehouse } = overrides;
  return {
    version: 1,
    project: "shop",
    units: ["user"],
    attributes: {},
    events: EVENTS,
    warehouse: {
      default: "local",
      connections: { local: { type: "duckdb", path: ":memory:" } },
      tables: { exposures: "exposures", events: "events" },
      columns: {
        exposures: {
          unit_id: "unit_id",
          experiment: "experiment",
          variant: "variant",
          ts: "ts",
          session_id: "session_id",
          attributes: "attributes",
          phase: "phase",
        },
        events: {
          unit_id: "unit_id",
          session_id: "session_id",
          event: "event",
          ts: "ts",
          value: "value",
          properties: "properties",
          event_id: "event_id",
        },
      },
      ...warehouse,
    },
    runtime: { publish: { type: "directory", path: ".exp/published" } },
    defaults: { ...DEFAULT_ANALYSIS, cuped_lookback: { seconds: cupedLookbackDays * DAY, text: `${cupedLookbackDays}d` } },
    privacy: { hash_unit_ids: false },
    origin: origin("exp.yaml"),
  };
}

const env: CheckEnv = {
  attributes: {},
  events: EVENTS,
  segment: () => undefined,
  segmentNames: () => [],
  experiment: () => undefined,
  experimentKeys: () => [],
};

export function makeMetric(key: string, expr: string, opts: { windowDays?: number; windowSeconds?: number; cuped?: boolean } = {}): Metric {
  const file = `metrics/${key}.yaml`;
  const parsed = parseMetricExpr(expr, wholeFileOrigin(new SourceFile(file, expr)));
  if (!parsed.expr) throw new Error(`bad test metric ${expr}: ${JSON.stringify(parsed.diagnostics)}`);
  const checked = checkMetricExpr(parsed.expr, env);
  if (!checked.kind) throw new Error(`test metric ${expr} does not check: ${checked.diagnostics.map((d) => d.message).join("; ")}`);
  const seconds = opts.windowSeconds ?? (opts.windowDays ?? 14) * DAY;
  return {
    key,
    unit: "user",
    expr: parsed.expr,
    exprText: expr,
    kind: checked.kind,
    numerator: checked.numerator,
    denominator: checked.denominator,
    quantile: checked.quantile,
    window: { seconds, text: `${seconds}s` },
    direction: "increase",
    format: "number",
    cuped: opts.cuped ?? false,
    origin: origin(file),
  };
}

export function makeExperiment(key: string, metrics: string[], opts: { variants?: string[]; cuped?: boolean } = {}): Experiment {
  const variants = opts.variants ?? ["control", "treatment"];
  return {
    key,
    type: "ab",
    status: "running",
    phase: 1,
    unit: "user",
    traffic: 1,
    exposure: "on_assignment",
    schedule: {},
    variants: variants.map((v) => ({ key: v, weight: 1 })),
    control: variants[0]!,
    holdout: true,
    metrics: { primary: metrics, secondary: [], guardrails: [] },
    analysis: { method: "fixed", alpha: 0.05, correction: "bh", cuped: opts.cuped ?? true },
    power: {},
    origin: origin(`experiments/${key}.yaml`),
  };
}

export function makeWorkspace(parts: { settings?: Settings; metrics: Metric[]; experiments: Experiment[] }): Workspace {
  return {
    root: "/nonexistent",
    settings: parts.settings ?? makeSettings(),
    segments: new Map(),
    metrics: new Map(parts.metrics.map((m) => [m.key, m])),
    experiments: new Map(parts.experiments.map((e) => [e.key, e])),
    flags: new Map(),
    layers: new Map(),
    holdouts: new Map(),
    files: new Map(),
  };
}
