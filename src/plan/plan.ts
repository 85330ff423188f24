import { diagnostic, type Diagnostic, type DiagnosticJson } from "../diagnostics/diagnostic.js";
import type { Ruleset, RulesetRegistration } from "../ruleset/types.js";
import type { Workspace } from "../workspace/model.js";
import type { CheckContext, PlanCheck, SlotRange } from "./checks/context.js";
import { rulesetContentChecksum } from "../ruleset/checksum.js";
import { own } from "../ruleset/own.js";
import { amendmentsSince } from "./checks/preregistration.js";
import { PLAN_CODES } from "./codes.js";
import { diffRulesets, summarise } from "./diff.js";
import type { AuditRecord } from "./audit.js";
import { detectDrift } from "./drift.js";
import { PLAN_FORMAT_VERSION, type Change, type CheckResult, type Plan, type PlanAmendment } from "./model.js";
import { share } from "./percent.js";

export interface PlanInput {
  workspace: Workspace;
  /** Compiled with the published ruleset as `previous`, so layer allocations are kept. */
  desired: Ruleset;
  published?: Ruleset;
  checks: readonly PlanCheck[];
  now: Date;
  lastChanged?: Map<string, Date>;
  /** The target's audit records: they tell whether the published version came from an apply (drift). */
  audit?: readonly AuditRecord[];
  /** Diagnostics of checks computed outside the registry (e.g. power, which needs the stats engine). */
  extra?: { name: string; diagnostics: Diagnostic[] }[];
  toJson(d: Diagnostic): DiagnosticJson;
}

/**
 * Plan = diff + checks, as data. Pure: the command gathers the inputs (workspace, compiled ruleset,
 * published state, git history) and renders the result.
 */
export function computePlan(input: PlanInput): Plan {
  const { desired, published, workspace } = input;
  const changes = diffRulesets(published, desired);
  const drift = detectDrift(published?.version, input.audit ?? [], changes.length > 0);

  const ctx: CheckContext = {
    desired: workspace,
    published: published ? publishedView(published) : undefined,
    allocations: allocations(desired),
    registrations: registrations(desired),
    now: input.now,
    lastChanged: input.lastChanged,
  };
  const checks: CheckResult[] = [];
  checks.push(result("reassignment", reassignmentDiagnostics(changes, workspace), input.toJson));
  for (const c of input.checks) checks.push(result(c.name, c.run(ctx), input.toJson));
  for (const e of input.extra ?? []) checks.push(result(e.name, e.diagnostics, input.toJson));
  if (drift)
    checks.push(
      result(
        "drift",
        [
          diagnostic(
            PLAN_CODES.drift,
            `The published ruleset v${drift.version} was not produced by applying git (${drift.cause}); ${drift.reconcile}`,
          ),
        ],
        input.toJson,
      ),
    );

  const reassignmentErrors = checks[0]!.diagnostics.some((d) => d.severity === "error");
  const failed = checks.some((c) => c.status === "failed");
  const exitCode = reassignmentErrors ? 1 : failed ? 3 : changes.length ? 2 : 0;
  const amendments = newAmendments(workspace, published);
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    ...(workspace.environment !== undefined ? { environment: workspace.environment } : {}),
    basedOnVersion: published?.version ?? null,
    basedOnChecksum: published?.checksum ?? null,
    desiredChecksum: rulesetContentChecksum(desired),
    sourceCommit: desired.sourceCommit,
    changes,
    checks,
    ...(drift ? { drift } : {}),
    ...(amendments.length ? { amendments } : {}),
    summary: summarise(changes),
    exitCode,
  };
}

function result(name: string, diags: Diagnostic[], toJson: (d: Diagnostic) => DiagnosticJson): CheckResult {
  const status = diags.some((d) => d.severity === "error") ? "failed" : diags.some((d) => d.severity === "warning") ? "warned" : "passed";
  return { name, status, diagnostics: diags.map(toJson) };
}

/** A change that moves enrolled units of a running experiment without a phase bump is an error naming the field and share. */
function reassignmentDiagnostics(changes: Change[], ws: Workspace): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of changes) {
    const r = c.reassignment;
    if (!r || r.phaseBumped) continue;
    const exp = ws.experiments.get(c.key);
    if (!exp || exp.status !== "running") continue;
    const span = (field: string) => exp.origin.values[field] ?? exp.origin.keys[field] ?? exp.origin.values[""];
    if (r.switchShare === null) {
      out.push(
        diagnostic(
          PLAN_CODES.targetingShift,
          `Changing the targeting of running experiment "${c.key}" moves an unknown share of its units in or out; bump "phase" if you mean to re-randomise.`,
          { span: span("targeting") },
        ),
      );
      continue;
    }
    const fields = c.fieldDiffs.map((d) => d.path.split(".")[0]!);
    // Moving traffic between arms is what a bandit is for (`exp bandit update` writes the weights).
    if (
      exp.type === "bandit" &&
      r.switchShare > 0 &&
      (r.leaveShare ?? 0) === 0 &&
      c.fieldDiffs.every((d) => /^variants\.[^.]+\.weight$/.test(d.path))
    ) {
      out.push(
        diagnostic(
          PLAN_CODES.banditReallocation,
          `Bandit "${c.key}" reallocates: ${share(r.switchShare)} of its enrolled units switch arm under the new weights (epoch ${exp.bandit?.epoch ?? 1}).`,
          { span: span("variants") },
        ),
      );
      continue;
    }
    if (r.switchShare > 0) {
      const field = fields.includes("variants") ? "variants" : (fields[0] ?? "variants");
      out.push(
        diagnostic(
          PLAN_CODES.rerandomise,
          `Changing "${field}" of running experiment "${c.key}" would switch ${share(r.switchShare)} of its enrolled units to another variant; bump "phase" to re-randomise on purpose, or keep the weights.`,
          { span: span(field), suggestion: `set phase: ${exp.phase + 1}` },
        ),
      );
    }
    // Units removed by shrunk ranges, another layer or another unit are re-randomised (docs/cli.md "plan"); a grown
    // holdout removes them too, but on purpose and from every experiment that honours holdouts alike.
    const removal = r.causes.find((x) => x.kind === "shrank" || x.kind === "layer" || x.kind === "unit");
    if ((r.leaveShare ?? 0) > 0 && removal) {
      const field = removal.kind === "shrank" ? "traffic" : removal.kind;
      const removed = removal.kind === "shrank" ? removal.share : (r.leaveShare ?? 0);
      out.push(
        diagnostic(
          PLAN_CODES.rerandomise,
          `Changing "${field}" of running experiment "${c.key}" would remove ${share(removed)} of its enrolled units; bump "phase" to re-randomise on purpose, or only grow it.`,
          { span: span(field), suggestion: `set phase: ${exp.phase + 1}` },
        ),
      );
    }
  }
  return out;
}

function publishedView(r: Ruleset): NonNullable<CheckContext["published"]> {
  return {
    experiments: new Map(
      Object.entries(r.experiments).map(([k, e]) => [
        k,
        { status: e.status, phase: e.phase, schedule: e.schedule, registration: e.registration },
      ]),
    ),
    flags: new Map(Object.entries(r.flags).map(([k, f]) => [k, { enabled: f.enabled }])),
  };
}

/** Amendments declared since the published registration of each experiment (none for a first registration). */
function newAmendments(ws: Workspace, published: Ruleset | undefined): PlanAmendment[] {
  const out: PlanAmendment[] = [];
  for (const e of [...ws.experiments.values()].sort((a, b) => a.key.localeCompare(b.key))) {
    const before = published ? own(published.experiments, e.key)?.registration : undefined;
    const added = before ? amendmentsSince(e, before) : [];
    if (added.length) out.push({ experiment: e.key, reasons: added.map((a) => a.reason) });
  }
  return out;
}

function registrations(r: Ruleset): Map<string, RulesetRegistration> {
  const out = new Map<string, RulesetRegistration>();
  for (const [k, e] of Object.entries(r.experiments)) if (e.registration) out.set(k, e.registration);
  return out;
}

function allocations(r: Ruleset): Map<string, Map<string, SlotRange[]>> {
  return new Map(
    Object.entries(r.layers).map(([layer, l]) => [
      layer,
      new Map(Object.entries(l.slots).map(([e, ranges]) => [e, ranges as SlotRange[]])),
    ]),
  );
}
