import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Environment, PublishTarget, Workspace } from "../model.js";
import { CheckCodes as C } from "./codes.js";
import { unknownName, type Check, type KnownNames } from "./context.js";
import { rolloutStepDiagnostics } from "./rollout-steps.js";

/**
 * exp.yaml `environments:` override flags, experiments and rollout rules that exist, with sound
 * traffic and steps, and no two environments publish to the same place (each keeps its own state,
 * lock and audit log).
 */
export const environmentsCheck: Check = {
  name: "environments",
  run({ workspace: ws, known }) {
    const environments = ws.settings.environments;
    if (!environments) return [];
    const out: Diagnostic[] = [];
    for (const env of Object.values(environments)) out.push(...overrideDiagnostics(ws, env, known));
    out.push(...sharedTargets(ws, Object.values(environments)));
    return out;
  },
};

function overrideDiagnostics(ws: Workspace, env: Environment, known: KnownNames): Diagnostic[] {
  const origin = ws.settings.origin;
  const at = (path: string) => origin.keys[path] ?? origin.values[path];
  const out: Diagnostic[] = [];
  const base = `environments.${env.name}`;
  for (const [key, o] of Object.entries(env.flags)) {
    const path = `${base}.flags.${key}`;
    const unknown = unknownName(C.unknownOverridden, "flag", key, known.flags, at(path), "override a flag that flags/ declares");
    if (unknown) out.push(unknown);
    const flag = ws.flags.get(key);
    if (!flag) continue;
    for (const [rule, steps] of Object.entries(o.steps ?? {})) {
      const r = flag.rules.find((x) => x.name === rule);
      if (r?.kind !== "rollout") {
        const rollouts = flag.rules.filter((x) => x.kind === "rollout").map((x) => x.name);
        const d = r
          ? diagnostic(C.unknownOverridden, `rule "${rule}" of flag "${key}" is not a rollout, so it has no steps to override`, {
              span: at(`${path}.steps.${rule}`),
            })
          : unknownName(
              C.unknownOverridden,
              "rollout rule",
              rule,
              rollouts,
              at(`${path}.steps.${rule}`),
              `use a rollout rule of flag "${key}"`,
            );
        if (d) out.push(d);
        continue;
      }
      out.push(...rolloutStepDiagnostics(rule, steps, (k, field) => origin.values[`${path}.steps.${rule}.${k}.${field}`]));
    }
  }
  for (const [key, o] of Object.entries(env.experiments)) {
    const path = `${base}.experiments.${key}`;
    const unknown = unknownName(
      C.unknownOverridden,
      "experiment",
      key,
      known.experiments,
      at(path),
      "override an experiment that experiments/ declares",
    );
    if (unknown) out.push(unknown);
    if (o.traffic !== undefined && !(o.traffic > 0 && o.traffic <= 1))
      out.push(
        diagnostic(C.trafficRange, `traffic of experiment "${key}" in environment "${env.name}" must be above 0% and at most 100%`, {
          span: origin.values[`${path}.traffic`],
          suggestion: "to keep units out of it in this environment, set status: paused or stopped instead",
        }),
      );
  }
  return out;
}

function sharedTargets(ws: Workspace, environments: Environment[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const env of environments) {
    const id = targetIdentity(env.publish);
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, env.name);
      continue;
    }
    const path = `environments.${env.name}.publish`;
    out.push(
      diagnostic(C.sharedPublishTarget, `environments "${first}" and "${env.name}" publish to the same ${env.publish.type} target`, {
        span: ws.settings.origin.values[path] ?? ws.settings.origin.keys[`environments.${env.name}`],
        suggestion: `give environment "${env.name}" a publish target of its own`,
      }),
    );
  }
  return out;
}

/** Two targets with the same identity share their published state, lock and audit log. */
function targetIdentity(t: PublishTarget): string {
  if (t.type === "directory") return `directory:${t.path.replace(/^(\.\/)+/, "").replace(/\/+$/, "")}`;
  if (t.type === "git") return `git:${t.remote ?? ""}:${t.branch ?? ""}`;
  return `http:${t.url}`;
}
