import type { AnalyzeJson } from "../analysis/analyze.js";
import { ANALYSIS_CODES } from "../analysis/codes.js";
import type { Diagnostic, Result } from "../diagnostics/diagnostic.js";
import type { Experiment, Workspace } from "../workspace/model.js";
import { analyzeEach, type AnalyzeRequest } from "./analyze.js";

/**
 * What a guardrail watch found for one running experiment, and the one action it calls for:
 * - `stop`: a guardrail is breached (its non-inferiority test shows a regression beyond the margin)
 *   for some treatment; stop this experiment, and only this one;
 * - `alert`: the sample ratio does not match the weights (the data cannot be trusted; a person
 *   looks, nothing is stopped by a machine);
 * - `none`: nothing to act on. An inconclusive guardrail (not yet shown to be within its margin) is
 *   listed but never acted on: a young experiment is inconclusive by nature;
 * - `error`: its analysis failed (`error` says why); the others are still watched.
 */
export interface GuardrailFinding {
  experiment: string;
  phase: number;
  action: "stop" | "alert" | "none" | "error";
  breaches: { metric: string; variants: string[]; max_regression: number | null }[];
  inconclusive: { metric: string; variants: string[] }[];
  srm: { ok: boolean; p_value: number | null; threshold: number };
  /** The experiment's file, relative to the workspace: what a stop changes (`status: stopped`). */
  file: string;
  /** Why the analysis failed (action `error`). */
  error?: string;
  /** Why there was nothing to analyse (action `none`), e.g. no exposures yet. */
  note?: string;
}

/** The running experiments, or the named ones (each must exist; the caller checks). */
export function watchedExperiments(ws: Workspace, keys: readonly string[]): Experiment[] {
  if (keys.length > 0) return keys.map((k) => ws.experiments.get(k)).filter((e): e is Experiment => e !== undefined);
  return [...ws.experiments.values()].filter((e) => e.status === "running").sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Analyses each experiment on its own (on one open warehouse) and says what, if anything, to do
 * about it: one that cannot be analysed is reported as `error` and does not hide a breach in another.
 * With nothing to watch the warehouse is not opened; when it cannot be opened, every experiment is
 * an `error` finding.
 */
export async function watchGuardrails(
  ws: Workspace,
  experiments: Experiment[],
  o: AnalyzeRequest = {},
): Promise<Result<GuardrailFinding[]>> {
  if (experiments.length === 0) return { value: [], diagnostics: [] };
  const analysed = await analyzeEach(ws, experiments, o);
  if (!analysed.value)
    return { value: experiments.map((e) => failed(e, analysed.diagnostics, analysed.hint)), diagnostics: analysed.diagnostics };
  const diagnostics: Diagnostic[] = [];
  const findings: GuardrailFinding[] = [];
  const threshold = ws.settings.defaults.srm_threshold;
  for (const e of experiments) {
    const run = analysed.value.get(e.key)!;
    if (!run.result && onlyNoExposures(run.diagnostics)) {
      findings.push(nothingYet(e, threshold));
      continue;
    }
    diagnostics.push(...run.diagnostics);
    findings.push(run.result ? finding(e, run.result, threshold) : failed(e, run.diagnostics, run.hint));
  }
  return { value: findings, diagnostics };
}

/** A running experiment that no unit has reached yet has nothing to watch: not a failure of the watch. */
function onlyNoExposures(diagnostics: Diagnostic[]): boolean {
  const errors = diagnostics.filter((d) => d.severity === "error");
  return errors.length > 0 && errors.every((d) => d.code === ANALYSIS_CODES.noExposures.code);
}

function nothingYet(e: Experiment, srmThreshold: number): GuardrailFinding {
  const srm = { ok: true, p_value: null, threshold: srmThreshold };
  return {
    experiment: e.key,
    phase: e.phase,
    action: "none",
    breaches: [],
    inconclusive: [],
    srm,
    file: e.origin.file,
    note: "no exposures yet",
  };
}

function failed(e: Experiment, diagnostics: Diagnostic[], hint: string | undefined): GuardrailFinding {
  const first = diagnostics.find((d) => d.severity === "error");
  const error = [first ? `${first.code}: ${first.message}` : "the analysis returned no result", hint].filter(Boolean).join("; ");
  return {
    experiment: e.key,
    phase: e.phase,
    action: "error",
    breaches: [],
    inconclusive: [],
    srm: { ok: true, p_value: null, threshold: 0 },
    file: e.origin.file,
    error,
  };
}

export function finding(e: Experiment, a: AnalyzeJson, srmThreshold: number): GuardrailFinding {
  const by = (status: string) =>
    a.guardrails
      .map((g) => ({ g, variants: g.variants.filter((v) => v.status === status).map((v) => v.variant) }))
      .filter((x) => x.variants.length > 0);
  const breaches = by("breached").map(({ g, variants }) => ({ metric: g.metric, variants, max_regression: g.max_regression }));
  const inconclusive = by("inconclusive").map(({ g, variants }) => ({ metric: g.metric, variants }));
  const srm = { ok: a.srm.ok, p_value: a.srm.p_value, threshold: srmThreshold };
  const action = breaches.length > 0 ? "stop" : srm.ok ? "none" : "alert";
  return { experiment: e.key, phase: a.phase, action, breaches, inconclusive, srm, file: e.origin.file };
}
