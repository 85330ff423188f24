import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { CONTRACT_CODES } from "./codes.js";
import { BASIS_POINTS } from "./hash.js";
import type { Condition, Ruleset } from "./types.js";

/**
 * Cross-references the schema cannot express: every variant a flag can serve exists, experiments'
 * weights sum to 10000, and referenced layers, experiments, flags and segments exist. A ruleset that
 * passes evaluates without surprises in every SDK.
 */
export function checkReferences(r: Ruleset): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (message: string) => out.push(diagnostic(CONTRACT_CODES.unknownReference, message));
  const conditions: [string, Condition | undefined][] = Object.entries(r.segments).map(([k, c]) => [`segment "${k}"`, c]);

  for (const [key, e] of Object.entries(r.experiments)) {
    const sum = e.variants.reduce((a, v) => a + v.weight, 0);
    if (sum !== BASIS_POINTS) err(`Experiment "${key}" has variant weights summing to ${sum} basis points instead of 10000.`);
    if (e.layer !== undefined && !r.layers[e.layer])
      err(`Experiment "${key}" is in layer "${e.layer}", which the ruleset does not define.`);
    for (const [unit, v] of Object.entries(e.overrides ?? {}))
      if (!e.variants.some((x) => x.key === v))
        err(`Experiment "${key}" override for "${unit}" names variant "${v}", which the experiment does not define.`);
    conditions.push([`experiment "${key}"`, e.targeting]);
  }
  for (const [layer, l] of Object.entries(r.layers)) {
    for (const exp of Object.keys(l.slots))
      if (!r.experiments[exp]) err(`Layer "${layer}" allocates slots to unknown experiment "${exp}".`);
  }
  for (const [key, f] of Object.entries(r.flags)) {
    const has = (v: string, where: string) => {
      if (!(v in f.variants)) err(`Flag "${key}" ${where} names variant "${v}", which the flag does not define.`);
    };
    has(f.default, "default");
    for (const [unit, v] of Object.entries(f.overrides)) has(v, `override for "${unit}"`);
    for (const p of f.prerequisites) if (!r.flags[p.flag]) err(`Flag "${key}" requires unknown flag "${p.flag}".`);
    for (const rule of f.rules) {
      conditions.push([`flag "${key}" rule "${rule.name}"`, rule.when]);
      if (rule.kind === "serve" || rule.kind === "rollout") has(rule.variant, `rule "${rule.name}"`);
      else {
        const e = r.experiments[rule.experiment];
        if (!e) err(`Flag "${key}" rule "${rule.name}" uses unknown experiment "${rule.experiment}".`);
        else for (const v of e.variants) has(rule.map[v.key] ?? v.key, `rule "${rule.name}" (experiment variant "${v.key}")`);
      }
    }
  }
  for (const [where, c] of conditions)
    walk(c, (n) => {
      if (n.op === "segment" && !r.segments[n.name]) err(`The condition of ${where} uses unknown segment "${n.name}".`);
      if (n.op === "in_experiment" && !r.experiments[n.experiment])
        err(`The condition of ${where} uses unknown experiment "${n.experiment}".`);
    });
  return out;
}

/** Every node of a condition in pre-order, with an explicit stack: a 10,000-term "or" is one node with 10,000 arguments. */
function walk(c: Condition | undefined, visit: (c: Condition) => void): void {
  const stack: Condition[] = c ? [c] : [];
  for (let n = stack.pop(); n; n = stack.pop()) {
    visit(n);
    if (n.op === "and" || n.op === "or") for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]!);
    else if (n.op === "not") stack.push(n.arg);
  }
}
