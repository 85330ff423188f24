import type { Span } from "../../src/diagnostics/diagnostic.js";
import type { Expr, ListExpr } from "../../src/dsl/index.js";
import type { Experiment, Flag, Origin, Settings, Workspace } from "../../src/workspace/model.js";

/** Hand-built AST nodes and a realistic workspace, standing in for the YAML loader in runtime tests. */
const span: Span = { file: "test.yaml", line: 1, column: 1, endLine: 1, endColumn: 2, offset: 0, endOffset: 1 };
const origin = (file: string): Origin => ({ file, values: { "": span }, keys: {} });

export const attr = (name: string): Expr => ({ kind: "path", span, segments: name.split(".").map((n) => ({ name: n, span })) });
export const str = (value: string): Expr => ({ kind: "string", span, value });
export const num = (value: number): Expr => ({ kind: "number", span, value, raw: String(value) });
export const bool = (value: boolean): Expr => ({ kind: "boolean", span, value });
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: "call", span, name, nameSpan: span, args });
export const list = (...items: Expr[]): ListExpr => ({ kind: "list", span, items });
type BinOp = "==" | "!=" | "<" | "<=" | ">" | ">=" | "and" | "or" | "contains" | "starts_with" | "ends_with";
export const bin = (op: BinOp, left: Expr, right: Expr): Expr => ({ kind: "binary", span, op, opSpan: span, left, right });
export const and = (...xs: Expr[]): Expr => xs.reduce((a, b) => bin("and", a, b));
export const or = (...xs: Expr[]): Expr => xs.reduce((a, b) => bin("or", a, b));
export const not = (operand: Expr): Expr => ({ kind: "unary", span, op: "not", operand });
export const isIn = (value: Expr, ...items: Expr[]): Expr => ({ kind: "in", span, negated: false, value, list: list(...items) });
export const notIn = (value: Expr, ...items: Expr[]): Expr => ({ kind: "in", span, negated: true, value, list: list(...items) });
export const matches = (value: Expr, pattern: string): Expr => ({
  kind: "matches",
  span,
  value,
  pattern: { kind: "string", span, value: pattern },
});

export const settings: Settings = {
  version: 1,
  project: "shop",
  units: ["user", "session"],
  attributes: {
    country: "string",
    platform: { enum: ["web", "ios", "android"] },
    app_version: "semver",
    is_employee: "boolean",
    signup_date: "date",
    account_age_days: "number",
    email: "string",
  },
  events: {},
  warehouse: {
    default: "local",
    connections: { local: { type: "duckdb", path: ".exp/warehouse.duckdb" } },
    tables: { exposures: "exposures", events: "events" },
    columns: {
      exposures: {
        unit_id: "unit_id",
        experiment: "experiment",
        variant: "variant",
        ts: "ts",
        session_id: "session_id",
        attributes: "attributes",
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
  },
  runtime: { publish: { type: "directory", path: ".exp/published" } },
  defaults: {
    alpha: 0.05,
    power: 0.8,
    srm_threshold: 0.001,
    method: "fixed",
    correction: "bh",
    cuped: true,
    cuped_lookback: { seconds: 1209600, text: "14d" },
    window: { seconds: 1209600, text: "14d" },
    require_guardrails: false,
  },
  privacy: { hash_unit_ids: false },
  origin: origin("exp.yaml"),
};

export function experiment(key: string, over: Partial<Experiment> = {}): Experiment {
  return {
    key,
    type: "ab",
    status: "running",
    phase: 1,
    unit: "user",
    traffic: 1,
    exposure: "on_assignment",
    schedule: {},
    variants: [
      { key: "control", weight: 50, config: { layout: "classic" } },
      { key: "treatment", weight: 50, config: { layout: "new" } },
    ],
    control: "control",
    holdout: true,
    metrics: { primary: ["m"], secondary: [], guardrails: [] },
    analysis: { method: "fixed", alpha: 0.05, correction: "bh", cuped: true },
    power: {},
    origin: origin(`experiments/${key}.yaml`),
    ...over,
  };
}

export function flag(key: string, over: Partial<Flag> = {}): Flag {
  return {
    key,
    type: "boolean",
    variants: [
      { key: "on", value: true },
      { key: "off", value: false },
    ],
    default: "off",
    enabled: true,
    prerequisites: [],
    overrides: {},
    rules: [],
    origin: origin(`flags/${key}.yaml`),
    ...over,
  };
}

export function workspace(
  parts: {
    experiments?: Experiment[];
    flags?: Flag[];
    segments?: Record<string, Expr>;
    layers?: string[];
    holdouts?: Record<string, number>;
  } = {},
): Workspace {
  return {
    root: "/tmp/ws",
    settings,
    segments: new Map(
      Object.entries(parts.segments ?? {}).map(([k, when]) => [k, { key: k, when, whenText: "", origin: origin(`segments/${k}.yaml`) }]),
    ),
    metrics: new Map(),
    experiments: new Map((parts.experiments ?? []).map((e) => [e.key, e])),
    flags: new Map((parts.flags ?? []).map((f) => [f.key, f])),
    layers: new Map((parts.layers ?? []).map((k) => [k, { key: k, origin: origin("layers.yaml") }])),
    holdouts: new Map(Object.entries(parts.holdouts ?? {}).map(([k, traffic]) => [k, { key: k, traffic, origin: origin("layers.yaml") }])),
    files: new Map(),
  };
}

/** A shop-like workspace exercising every runtime construct that flagd can express. */
export function shopWorkspace(): Workspace {
  return workspace({
    layers: ["checkout"],
    holdouts: { global_2026: 0.02 },
    segments: {
      employees: or(bin("==", attr("is_employee"), bool(true)), bin("==", attr("country"), str("XX"))),
      modern_app: bin(">=", attr("app_version"), call("semver", str("2.0.0"))),
    },
    experiments: [
      experiment("checkout_redesign", {
        layer: "checkout",
        traffic: 0.5,
        schedule: { start: "2020-01-01T00:00:00Z", end: "2099-01-01T00:00:00Z" },
        targeting: and(isIn(attr("country"), str("US"), str("CA")), bin("!=", attr("platform"), str("ios"))),
        variants: [
          { key: "control", weight: 50, config: { layout: "classic" } },
          { key: "one_page", weight: 50, config: { layout: "one_page" } },
        ],
      }),
      experiment("checkout_copy", { layer: "checkout", traffic: 0.3 }),
      experiment("search_ranker_v2", {
        traffic: 0.6,
        phase: 2,
        variants: [
          { key: "control", weight: 1 },
          { key: "ranker_v2", weight: 1 },
          { key: "ranker_v3", weight: 1 },
        ],
      }),
      experiment("onboarding", {
        holdout: false,
        targeting: bin(">", attr("account_age_days"), num(30)),
        variants: [
          { key: "control", weight: 80 },
          { key: "guided", weight: 20 },
        ],
      }),
      experiment("old_test", { status: "stopped" }),
      experiment("expired", { schedule: { end: "2021-01-01T00:00:00Z" } }),
    ],
    flags: [
      flag("search_index_v2", {
        rules: [
          {
            kind: "rollout",
            name: "all",
            variant: "on",
            holdout: false,
            steps: [
              { at: "2020-01-01T00:00:00Z", percent: 10 },
              { at: "2021-01-01T00:00:00Z", percent: 80 },
            ],
          },
        ],
      }),
      flag("new_search", {
        prerequisites: [{ flag: "search_index_v2" }],
        overrides: { on: ["user_42", "user_77"] },
        rules: [
          { kind: "serve", name: "staff", when: call("segment", str("employees")), serve: "on" },
          {
            kind: "rollout",
            name: "us_rollout",
            when: bin("==", attr("country"), str("US")),
            variant: "on",
            holdout: true,
            steps: [
              { at: "2020-06-01T00:00:00Z", percent: 10 },
              { at: "2020-06-03T00:00:00Z", percent: 50 },
              { at: "2099-01-01T00:00:00Z", percent: 100 },
            ],
          },
          { kind: "experiment", name: "ab", experiment: "search_ranker_v2", map: { control: "off", ranker_v2: "on", ranker_v3: "on" } },
        ],
      }),
      flag("checkout_layout", {
        type: "string",
        variants: [
          { key: "classic", value: "classic" },
          { key: "one_page", value: "one_page" },
          { key: "compact", value: "compact" },
        ],
        default: "classic",
        rules: [
          { kind: "experiment", name: "redesign", experiment: "checkout_redesign", map: { control: "classic" } },
          {
            kind: "serve",
            name: "mobile",
            when: and(isIn(attr("platform"), str("ios"), str("android")), call("segment", str("modern_app"))),
            serve: "compact",
          },
        ],
      }),
      flag("max_results", {
        type: "number",
        variants: [
          { key: "few", value: 10 },
          { key: "many", value: 50 },
        ],
        default: "few",
        rules: [
          {
            kind: "serve",
            name: "long_time_users",
            when: and(bin(">=", attr("account_age_days"), num(365)), not(bin("starts_with", attr("email"), str("test")))),
            serve: "many",
          },
        ],
      }),
      flag("banner", {
        type: "json",
        variants: [
          { key: "none", value: { show: false } },
          { key: "sale", value: { show: true, text: "Sale", discount: 0.2 } },
        ],
        default: "none",
        rules: [
          { kind: "serve", name: "corp", when: bin("ends_with", attr("email"), str("@corp.example")), serve: "sale" },
          { kind: "rollout", name: "half", variant: "sale", holdout: true, steps: [{ at: "2020-01-01T00:00:00Z", percent: 50 }] },
        ],
      }),
      flag("ranker_followup", {
        rules: [
          {
            kind: "serve",
            name: "v2_users",
            when: and(call("in_experiment", str("search_ranker_v2"), str("ranker_v2")), bin("==", attr("country"), str("US"))),
            serve: "on",
          },
          { kind: "serve", name: "enrolled_elsewhere", when: call("in_experiment", str("checkout_redesign")), serve: "on" },
        ],
      }),
      flag("legacy_mode", { enabled: false, default: "on", rules: [{ kind: "serve", name: "never", serve: "off" }] }),
      flag("needs_legacy", {
        prerequisites: [{ flag: "legacy_mode", variant: "off" }],
        default: "off",
        rules: [{ kind: "serve", name: "everyone", serve: "on" }],
      }),
      flag("onboarding_flow", {
        type: "string",
        variants: [
          { key: "control", value: "classic" },
          { key: "guided", value: "guided" },
        ],
        default: "control",
        rules: [{ kind: "experiment", name: "exp", when: not(bin("==", attr("platform"), str("web"))), experiment: "onboarding", map: {} }],
      }),
    ],
  });
}
