import { createInterface } from "node:readline";
import type { Command } from "commander";
import { didYouMean } from "../diagnostics/suggest.js";
import { attributesProblem, unknownName, valueProblem } from "../workspace/declared-input.js";
import { attributesField, unitField } from "../runtime/unit-request.js";
import type { AttributeType, Workspace } from "../workspace/model.js";
import { createEvaluator, type Evaluator } from "../runtime/evaluator.js";
import type { Attributes } from "../runtime/condition.js";
import type { AssignmentResult, FlagResult } from "../runtime/result.js";
import { RULESET_CODES } from "../compiler/ruleset/codes.js";
import { ExpError } from "../diagnostics/errors.js";
import { rulesetFor } from "../app/ruleset-source.js";
import { currentTime } from "./clock.js";
import { CLI_CODES } from "./codes.js";
import { action } from "./run.js";
import { badOption, loadEnvironmentOrExit, parseFormat, parseInstant, printCompactDiagnostics, withEnvironmentOption } from "./shared.js";

interface AssignOptions {
  dir?: string;
  format?: string;
  unit?: string;
  attr: string[];
  at?: string;
  desired?: boolean;
  batch?: boolean;
  env?: string;
}

/** `--attr k=v`, typed by the attribute types of exp.yaml; unknown keys and bad values are user errors. */
export function parseAttributes(pairs: string[], types: Record<string, AttributeType>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw badOption(`--attr "${pair}" is not key=value`, "write it as --attr country=US");
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (!Object.hasOwn(types, key)) {
      const { message, suggestion } = unknownName("attribute", key, Object.keys(types));
      throw ExpError.of(CLI_CODES.unknownName, message, { suggestion });
    }
    out[key] = typedValue(key, raw, types[key]!);
  }
  return out;
}

/** The text of `--attr` read as its declared type, then checked as a JSON value would be. */
function typedValue(key: string, raw: string, type: AttributeType): unknown {
  let value: unknown = raw;
  if (type === "number") value = raw.trim() === "" ? Number.NaN : Number(raw);
  if (type === "boolean" && (raw === "true" || raw === "false")) value = raw === "true";
  const problem = valueProblem(value, type);
  if (problem)
    throw ExpError.of(RULESET_CODES.badAttribute, `attribute "${key}" is ${problem.expected}, but got "${raw}"`, {
      suggestion: problem.hint,
    });
  return value;
}

type Target = { kind: "experiment" | "flag"; key: string };

function targetOf(key: string, ev: Evaluator, ws: Workspace): Target {
  if (ev.hasExperiment(key)) return { kind: "experiment", key };
  if (ev.hasFlag(key)) return { kind: "flag", key };
  const known = [...ws.experiments.keys(), ...ws.flags.keys(), ...Object.keys(ev.ruleset.experiments), ...Object.keys(ev.ruleset.flags)];
  throw ExpError.of(RULESET_CODES.unknownKey, `no experiment or flag "${key}" in the ruleset`, {
    suggestion: didYouMean(key, known) ?? "run `exp validate` to list what the workspace defines",
  });
}

function run(ev: Evaluator, t: Target, unit: string, attrs: Attributes, at: number): AssignmentResult | FlagResult {
  return t.kind === "experiment" ? ev.assign(t.key, unit, attrs, at) : ev.evaluate(t.key, unit, attrs, at);
}

function renderText(r: AssignmentResult | FlagResult): string {
  if ("experiment" in r) {
    // A QA override serves a variant without enrolling the unit.
    const head = r.inExperiment
      ? `${r.experiment}: ${r.variant}`
      : `${r.experiment}: ${r.variant !== null ? `${r.variant} (override, not enrolled)` : "not enrolled"}`;
    return `${head}\n  unit ${JSON.stringify(r.hashKey)}, bucket ${r.bucket ?? "-"}\n  reasons: ${r.reasons.join(" → ")}\n${r.url !== null ? `  url: ${r.url}\n` : ""}${r.config !== null && r.config !== undefined ? `  config: ${JSON.stringify(r.config)}\n` : ""}`;
  }
  return `${r.flag}: ${JSON.stringify(r.value)} (variant ${r.variant ?? "-"})\n  reason: ${r.reason}${r.rule ? `, rule "${r.rule}"` : ""}\n`;
}

/**
 * A line of `--batch` input: `{unit, attributes}`, or `exp serve`'s `{userId, context}`, with the
 * attributes checked against exp.yaml as `--attr` and `exp serve` check them; or the line's error.
 */
function batchRow(
  line: string,
  declared: Record<string, AttributeType>,
): { unit: string; attrs: Attributes } | { error: string; suggestion?: string } {
  let row: unknown;
  try {
    row = JSON.parse(line);
  } catch {
    return { error: "not valid JSON" };
  }
  if (typeof row !== "object" || row === null || Array.isArray(row)) return { error: "not a JSON object" };
  const o = row as Record<string, unknown>;
  const unit = unitField(o);
  if ("problem" in unit) return { error: unit.problem };
  if (typeof unit.value !== "string") return { error: 'needs a string "unit"' };
  const attrs = attributesField(o);
  if ("problem" in attrs) return { error: attrs.problem };
  const value = attrs.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) return { error: `"${attrs.name}" must be a JSON object of unit attributes` };
  const problem = attributesProblem(value as Record<string, unknown>, declared);
  if (problem) return { error: problem.message, ...(problem.suggestion ? { suggestion: problem.suggestion } : {}) };
  return { unit: unit.value, attrs: value as Attributes };
}

/** NDJSON in, NDJSON out; writes in large chunks so 100k lines take a few seconds. */
async function runBatch(ev: Evaluator, t: Target, at: number, declared: Record<string, AttributeType>): Promise<number> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let out = "";
  let n = 0;
  let failed = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === "") continue;
    const row = batchRow(line, declared);
    if ("error" in row) {
      out += `${JSON.stringify({ line: n, ...row })}\n`;
      failed++;
      continue;
    }
    out += `${JSON.stringify({ unit: row.unit, ...run(ev, t, row.unit, row.attrs, at) })}\n`;
    if (out.length > 1 << 20) {
      if (!process.stdout.write(out)) await new Promise((r) => process.stdout.once("drain", r));
      out = "";
    }
  }
  if (out) process.stdout.write(out);
  return failed > 0 ? 1 : 0;
}

export function registerAssign(program: Command): void {
  withEnvironmentOption(program.command("assign <key>"))
    .description("evaluate an experiment or flag for a unit against the published (or --desired) ruleset")
    .option("--unit <id>", "unit id")
    .option(
      "--attr <key=value>",
      "unit attribute, typed by exp.yaml (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--at <iso>", "evaluate at this time instead of now")
    .option("--desired", "use the ruleset compiled from the workspace, not the published one")
    .option("--batch", "read NDJSON {unit, attributes} (or {userId, context}) lines on stdin; write one NDJSON result per line")
    .option("--dir <workspace>", "workspace folder (default: the nearest folder upward containing exp.yaml)")
    .option("--format <format>", "output format: text | json", "text")
    .action(
      action(async (key: string, opts: AssignOptions) => {
        const format = parseFormat(opts.format, ["text", "json"]);
        if (!opts.batch && opts.unit === undefined)
          throw badOption("--unit is required (or use --batch)", "for example: exp assign checkout_redesign --unit user_42");
        const at = parseInstant("--at", opts.at, "2026-12-01T00:00:00Z") ?? currentTime().getTime();
        const ws = await loadEnvironmentOrExit({ dir: opts.dir, env: opts.env });
        const attrs = parseAttributes(opts.attr, ws.settings.attributes);
        const { ruleset, diagnostics, notes } = await rulesetFor(ws, opts.desired === true);
        for (const note of notes) process.stderr.write(`${note}\n`);
        printCompactDiagnostics(diagnostics);
        const ev = createEvaluator(ruleset);
        const target = targetOf(key, ev, ws);
        if (opts.batch) return runBatch(ev, target, at, ws.settings.attributes);
        const r = run(ev, target, opts.unit!, attrs, at);
        process.stdout.write(format === "json" ? `${JSON.stringify(r)}\n` : renderText(r));
        return 0;
      }),
    );
}
