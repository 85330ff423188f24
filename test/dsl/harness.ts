import { SourceFile } from "../../src/diagnostics/source.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Origin } from "../../src/workspace/model.js";
import { assertTableSeverities } from "../workspace/table-severity.js";
import {
  checkCondition,
  checkMetricExpr,
  parseCondition,
  parseMetricExpr,
  type CheckEnv,
  type Expr,
  type ExprOrigin,
} from "../../src/dsl/index.js";

/** The exp.yaml declarations of docs/workspace.md, plus segments and experiments used by the checks. */
export const ATTRIBUTES: CheckEnv["attributes"] = {
  country: "string",
  platform: { enum: ["web", "ios", "android"] },
  app_version: "semver",
  is_employee: "boolean",
  signup_date: "date",
  account_age_days: "number",
};

export const EVENTS: CheckEnv["events"] = {
  purchase: { revenue: "number", currency: "string" },
  page_view: {},
  impression: { position: number() },
  click: { position: "number" },
  page_load: { latency_ms: "number" },
  app_open: {},
};

function number(): "number" {
  return "number";
}

const EMPTY_ORIGIN: Origin = { file: "segments/x.yaml", values: {}, keys: {} };

export function makeEnv(
  segments: Record<string, string> = { employees: 'is_employee or country == "XX"', beta: 'app_version >= semver("2.0.0")' },
): CheckEnv {
  const parsed = new Map<string, { when: Expr; origin: Origin }>();
  for (const [name, text] of Object.entries(segments)) {
    const r = parseCondition(text, originFor(text));
    if (r.expr) parsed.set(name, { when: r.expr, origin: EMPTY_ORIGIN });
  }
  const experiments: Record<string, string[]> = { checkout_redesign: ["control", "one_page"], search_ranker_v2: ["control", "ranker_v2"] };
  return {
    attributes: ATTRIBUTES,
    events: EVENTS,
    segment: (name) => parsed.get(name),
    segmentNames: () => [...parsed.keys()],
    experiment: (key) => (experiments[key] ? { variants: experiments[key]! } : undefined),
    experimentKeys: () => Object.keys(experiments),
  };
}

export function originFor(text: string, path = "expr"): ExprOrigin {
  return { file: new SourceFile(path, text), toFileOffset: (i) => i };
}

/** A diagnostic as plain data, the form tests assert on. */
export interface Row {
  code: string;
  message: string;
  line: number;
  column: number;
  endColumn?: number;
  suggestion?: string;
}

export function rows(diags: Diagnostic[], withEnd = false): Row[] {
  assertTableSeverities(diags, "expression");
  return diags.map((d) => ({
    code: d.code,
    message: d.message,
    line: d.span?.line ?? 0,
    column: d.span?.column ?? 0,
    ...(withEnd ? { endColumn: d.span?.endColumn ?? 0 } : {}),
    ...(d.suggestion ? { suggestion: d.suggestion } : {}),
  }));
}

export function parseRows(text: string, withEnd = false): Row[] {
  return rows(parseCondition(text, originFor(text)).diagnostics, withEnd);
}

export function metricParseRows(text: string, withEnd = false): Row[] {
  return rows(parseMetricExpr(text, originFor(text)).diagnostics, withEnd);
}

/** Parses (which must succeed) and type-checks a condition. */
export function conditionRows(text: string, env: CheckEnv = makeEnv()): Row[] {
  const r = parseCondition(text, originFor(text));
  if (!r.expr) throw new Error(`test input does not parse: ${text}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return rows(checkCondition(r.expr, env));
}

export function metricCheck(text: string, env: CheckEnv = makeEnv()) {
  const r = parseMetricExpr(text, originFor(text));
  if (!r.expr) throw new Error(`test input does not parse: ${text}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  const result = checkMetricExpr(r.expr, env);
  return { ...result, rows: rows(result.diagnostics) };
}

export function mustParse(text: string): Expr {
  const r = parseCondition(text, originFor(text));
  if (!r.expr) throw new Error(`does not parse: ${text}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.expr;
}
