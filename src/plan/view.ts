import type { DiagnosticJson } from "../diagnostics/diagnostic.js";
import type { Action, CheckResult, Plan, Reassignment, ReassignmentCause } from "./model.js";
import { share } from "./percent.js";
import { SYMBOL, VERB } from "./render-value.js";
import { fieldView, type FieldView } from "./view-values.js";

/**
 * The human view of a plan, computed from its JSON form only (STYLE habit 5). Every word the
 * terminal shows is decided here; the text renderer (render-text.ts) and the ink components
 * (src/ui/plan-view.tsx, also on the apply confirmation) only lay it out and pick colours, so they
 * cannot drift apart.
 */
export interface PlanView {
  title: string;
  drift?: { headline: string; reconcile: string };
  /** Said instead of the changes when there are none. */
  noChanges?: string;
  changes: ChangeView[];
  checks: { name: string; status: CheckResult["status"]; count: number }[];
  /** "Plan: 1 to create, 2 to update, 0 to delete." */
  summary: string;
  /** "1 check failed." when some did. */
  failed?: string;
  /** The checks' diagnostics, in check order. */
  diagnostics: DiagnosticJson[];
}

export interface ChangeView {
  action: Action;
  /** "± experiment.search_ranker_v2" */
  headline: string;
  /** "will be replaced (re-randomised)" */
  verb: string;
  fields: FieldView[];
  reassignment?: { moving: boolean; sentence: string; causes: string[] };
}

export function planView(plan: Plan): PlanView {
  const base =
    plan.basedOnVersion === null
      ? "nothing is published yet"
      : `published v${plan.basedOnVersion} (${(plan.basedOnChecksum ?? "").slice(0, 12)})`;
  const { create, update, delete: del, replace } = plan.summary;
  const failed = plan.checks.filter((c) => c.status === "failed").length;
  return {
    title: `exp plan${plan.environment !== undefined ? ` for environment "${plan.environment}"` : ""}: the workspace compared with ${base}`,
    ...(plan.drift
      ? {
          drift: {
            headline: `! drift: published v${plan.drift.version} was not produced by applying git (${plan.drift.cause}).`,
            reconcile: plan.drift.reconcile,
          },
        }
      : {}),
    ...(plan.changes.length === 0 ? { noChanges: "No changes. The published ruleset matches the workspace." } : {}),
    changes: plan.changes.map((c) => ({
      action: c.action,
      headline: `${SYMBOL[c.action]} ${c.address}`,
      verb: VERB[c.action],
      fields: c.fieldDiffs.map((d) => fieldView(c, d)),
      ...(c.reassignment ? { reassignment: reassignmentView(c.reassignment) } : {}),
    })),
    checks: plan.checks.map((c) => ({ name: c.name, status: c.status, count: c.diagnostics.length })),
    summary: `Plan: ${create} to create, ${update} to update, ${del} to delete${replace ? `, ${replace} to replace` : ""}.`,
    ...(failed ? { failed: `${failed} check${failed === 1 ? "" : "s"} failed.` } : {}),
    diagnostics: plan.checks.flatMap((c) => c.diagnostics),
  };
}

function reassignmentView(r: Reassignment): NonNullable<ChangeView["reassignment"]> {
  return {
    moving: r.switchShare === null || r.switchShare > 0 || (r.leaveShare ?? 0) > 0,
    sentence: reassignmentSentence(r),
    causes: r.causes.map(causeSentence),
  };
}

/** Who a change moves, in one sentence. */
export function reassignmentSentence(r: Reassignment): string {
  if (r.switchShare === null) return "an unknown share of enrolled units would switch or leave (targeting changed)";
  const parts = [`${share(r.switchShare)} of enrolled units would switch variant`, `${share(r.leaveShare ?? 0)} would leave`];
  if (r.newShare) parts.push(`new units: ${share(r.newShare)} of today's count`);
  return `${parts.join(", ")}${r.exact ? "" : " (expected, not exact)"}`;
}

/** Why units move, as the plan's views say it. */
export function causeSentence(c: ReassignmentCause): string {
  switch (c.kind) {
    case "status":
      return `status running → ${c.to}: every enrolled unit leaves`;
    case "unit":
      return `unit ${c.from} → ${c.to}: every enrolled unit leaves and a new population enrols`;
    case "layer":
      return `layer ${c.from ?? "(none)"} → ${c.to ?? "(none)"}: enrollment is drawn again`;
    case "phase":
      return `phase ${c.from} → ${c.to}: ${c.redraws === "enrollment" ? "enrollment is" : "variants are"} drawn again`;
    case "holdouts":
      return `holdouts grew: ${share(c.share)} of enrolled units move into a holdout`;
    case "weights":
      return `weights changed: ${share(c.share)} of the units that stay switch variant`;
    case "shrank":
      return `${c.ranges === "slots" ? "slot ranges" : "traffic"} shrank: ${share(c.share)} of enrolled units leave`;
    case "grew":
      return `${c.ranges === "slots" ? "slot ranges" : "traffic"} grew: new units enrol (${share(c.share)} of today's count)`;
    case "targeting":
      return "targeting changed: an unknown share of units enters or leaves";
  }
}
