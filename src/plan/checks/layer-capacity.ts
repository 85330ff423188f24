import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Experiment, ExperimentStatus, Workspace } from "../../workspace/model.js";
import { checkCodes as C } from "./codes.js";
import type { PlanCheck, SlotRange } from "./context.js";
import { locate, locateKey } from "./locate.js";
import { percent } from "./targeting.js";

/**
 * Statuses that hold layer slots. A paused experiment keeps its slots so that resuming it moves
 * nobody; a stopped one frees them (docs/hashing.md); a draft has not been given any yet.
 */
export const SLOT_HOLDING: readonly ExperimentStatus[] = ["running", "paused"];

const SLOTS = 10000;

/** A layer owns 100% of its units: the traffic of the experiments holding slots in it must fit. */
export const layerCapacityCheck: PlanCheck = {
  name: "layer capacity",
  run(ctx) {
    const out: Diagnostic[] = [];
    for (const [layer, holders] of slotHolders(ctx.desired)) {
      const total = holders.reduce((s, e) => s + Math.round(e.traffic * SLOTS), 0);
      if (total > SLOTS) out.push(overCapacity(ctx.desired, layer, holders, total));
      const slots = ctx.allocations?.get(layer);
      if (slots) out.push(...allocationMismatches(layer, holders, slots));
    }
    return out;
  },
};

function slotHolders(ws: Workspace): Map<string, Experiment[]> {
  const byLayer = new Map<string, Experiment[]>();
  const sorted = [...ws.experiments.values()].sort((a, b) => a.key.localeCompare(b.key));
  for (const e of sorted) {
    if (e.layer === undefined || !SLOT_HOLDING.includes(e.status)) continue;
    byLayer.set(e.layer, [...(byLayer.get(e.layer) ?? []), e]);
  }
  return new Map([...byLayer].sort(([a], [b]) => a.localeCompare(b)));
}

function overCapacity(ws: Workspace, layer: string, holders: Experiment[], totalBp: number): Diagnostic {
  const def = ws.layers.get(layer);
  const names = holders.map((e) => `"${e.key}" ${percent(e.traffic)}`).join(", ");
  return diagnostic(
    C.layerOverCapacity,
    `layer "${layer}" is over capacity: ${names} add up to ${totalBp / 100}%; lower their traffic or stop one so the total is at most 100%`,
    {
      span: def ? locateKey(def.origin, `layers.${layer}`) : locate(holders[0]!.origin, "layer"),
      related: holders.flatMap((e) => {
        const span = locate(e.origin, "traffic", "layer");
        return span ? [{ message: `"${e.key}" takes ${percent(e.traffic)}`, span }] : [];
      }),
    },
  );
}

function width(ranges: SlotRange[]): number {
  return ranges.reduce((s, [a, b]) => s + (b - a), 0);
}

function allocationMismatches(layer: string, holders: Experiment[], slots: Map<string, SlotRange[]>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of holders) {
    const ranges = slots.get(e.key) ?? [];
    const wanted = Math.round(e.traffic * SLOTS);
    const bad = ranges.find(([a, b]) => !(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a < b && b <= SLOTS));
    let problem: string | undefined;
    if (bad) problem = `holds the invalid slot range [${bad[0]}, ${bad[1]})`;
    else if (width(ranges) !== wanted) problem = `holds ${width(ranges) / 100}% of the layer's slots but its traffic is ${wanted / 100}%`;
    if (!problem) continue;
    out.push(
      diagnostic(
        C.allocationMismatch,
        `experiment "${e.key}" in layer "${layer}" ${problem}; free space in the layer or lower its traffic, then plan again`,
        { span: locate(e.origin, "traffic", "layer") },
      ),
    );
  }
  return out;
}
