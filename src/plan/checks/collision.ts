import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Expr } from "../../dsl/index.js";
import type { Experiment, Flag } from "../../workspace/model.js";
import { checkCodes as C } from "./codes.js";
import type { CheckContext, PlanCheck, SlotRange } from "./context.js";
import { locate } from "./locate.js";
import { mayHoldTogether } from "./satisfiable.js";
import { runningExperiments, targetingEnv } from "./targeting.js";

/**
 * Two running experiments collide when a unit can be in both and they act on the same thing: the
 * same flag (experiment-backed rules), the same layer slots, or the same page (split_url) outside
 * a layer. Their analyses are then confounded. Only a proof that the targeting is disjoint (see
 * satisfiable.ts) clears a pair.
 */
export const collisionCheck: PlanCheck = {
  name: "collision",
  run(ctx) {
    return [...sharedFlags(ctx), ...slotOverlaps(ctx), ...sharedPages(ctx)];
  },
};

/** Experiments in the same layer are mutually exclusive unless their slots overlap (reported apart). */
function exclusive(a: Experiment, b: Experiment): boolean {
  return a.layer !== undefined && a.layer === b.layer;
}

function sharedFlags(ctx: CheckContext): Diagnostic[] {
  const ws = ctx.desired;
  const env = targetingEnv(ws);
  const out: Diagnostic[] = [];
  const flags = [...ws.flags.values()].sort((a, b) => a.key.localeCompare(b.key));
  for (const flag of flags) {
    // A disabled flag serves its default to everyone, so no experiment acts through it.
    if (!flag.enabled) continue;
    const backed = experimentRules(flag, ws.experiments);
    for (let j = 1; j < backed.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = backed[i]!;
        const b = backed[j]!;
        if (a.exp.key === b.exp.key || exclusive(a.exp, b.exp)) continue;
        if (!mayHoldTogether([a.exp.targeting, a.when, b.exp.targeting, b.when], env)) continue;
        const span = locate(flag.origin, `rules.${b.index}.experiment`, `rules.${b.index}`);
        const other = locate(flag.origin, `rules.${a.index}.experiment`, `rules.${a.index}`);
        out.push(
          diagnostic(
            C.sharedFlag,
            `running experiments "${a.exp.key}" and "${b.exp.key}" both drive flag "${flag.key}" and their targeting can match the same units; make the targeting disjoint, put both in one layer, or stop one`,
            {
              span,
              related: [
                ...(other ? [{ message: `"${a.exp.key}" drives the flag here`, span: other }] : []),
                ...targetingNote(a.exp),
                ...targetingNote(b.exp),
              ],
            },
          ),
        );
      }
    }
  }
  return out;
}

interface BackedRule {
  index: number;
  exp: Experiment;
  when?: Expr;
}

function experimentRules(flag: Flag, experiments: Map<string, Experiment>): BackedRule[] {
  const out: BackedRule[] = [];
  flag.rules.forEach((r, index) => {
    if (r.kind !== "experiment") return;
    const exp = experiments.get(r.experiment);
    if (exp?.status === "running") out.push({ index, exp, when: r.when });
  });
  return out;
}

function targetingNote(e: Experiment): { message: string; span: NonNullable<Diagnostic["span"]> }[] {
  const span = e.origin.values["targeting"];
  return span ? [{ message: `targeting of "${e.key}"`, span }] : [];
}

function overlapWidth(a: SlotRange[], b: SlotRange[]): number {
  let w = 0;
  for (const [s1, e1] of a) for (const [s2, e2] of b) w += Math.max(0, Math.min(e1, e2) - Math.max(s1, s2));
  return w;
}

function slotOverlaps(ctx: CheckContext): Diagnostic[] {
  if (!ctx.allocations) return [];
  const ws = ctx.desired;
  const env = targetingEnv(ws);
  const out: Diagnostic[] = [];
  for (const [layer, slots] of [...ctx.allocations].sort(([a], [b]) => a.localeCompare(b))) {
    const holders = runningExperiments(ws).filter((e) => e.layer === layer && slots.has(e.key));
    for (let j = 1; j < holders.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = holders[i]!;
        const b = holders[j]!;
        const width = overlapWidth(slots.get(a.key)!, slots.get(b.key)!);
        if (width === 0 || !mayHoldTogether([a.targeting, b.targeting], env)) continue;
        const other = locate(a.origin, "layer");
        out.push(
          diagnostic(
            C.slotOverlap,
            `running experiments "${a.key}" and "${b.key}" share ${width / 100}% of layer "${layer}" and their targeting can match the same units; re-plan the layer so their slots are disjoint`,
            { span: locate(b.origin, "layer"), related: other ? [{ message: `"${a.key}" is in the layer here`, span: other }] : [] },
          ),
        );
      }
    }
  }
  return out;
}

/** The page a split_url experiment tests: its control URL without query or fragment. */
function page(e: Experiment): string | undefined {
  if (e.type !== "split_url") return undefined;
  const url = e.variants.find((v) => v.key === e.control)?.url;
  return url?.replace(/[?#].*$/, "").replace(/\/+$/, "");
}

function sharedPages(ctx: CheckContext): Diagnostic[] {
  const ws = ctx.desired;
  const env = targetingEnv(ws);
  const out: Diagnostic[] = [];
  const pages = runningExperiments(ws).filter((e) => page(e) !== undefined);
  for (let j = 1; j < pages.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = pages[i]!;
      const b = pages[j]!;
      if (page(a) !== page(b) || exclusive(a, b) || !mayHoldTogether([a.targeting, b.targeting], env)) continue;
      const other = locate(a.origin, `variants.${a.control}.url`, "variants");
      out.push(
        diagnostic(
          C.sharedSurface,
          `running experiments "${a.key}" and "${b.key}" both split page "${page(a)}" outside a layer and their targeting can match the same units; put them in one layer or make the targeting disjoint`,
          {
            span: locate(b.origin, `variants.${b.control}.url`, "variants"),
            related: other ? [{ message: `"${a.key}" splits the same page`, span: other }] : [],
          },
        ),
      );
    }
  }
  return out;
}
