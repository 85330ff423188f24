import type { Condition, Ruleset, RulesetExperiment } from "../ruleset/types.js";
import { own } from "../ruleset/own.js";
import type { Reassignment } from "./model.js";
import { intersectWidth, type Range, variantRanges, width } from "./ranges.js";

const BP = 10000;

/**
 * Who a change to a running experiment moves (docs/hashing.md "What changes whom"), computed exactly from
 * bucket ranges: enrollment ranges (traffic or layer slots), variant ranges and holdouts. Shares are
 * relative to the units enrolled now. Targeting changes move an unknown share and say so.
 */
export function reassignment(key: string, before: Ruleset, after: Ruleset): Reassignment | undefined {
  const a = own(before.experiments, key);
  const b = own(after.experiments, key);
  if (!a || !b || a.status !== "running") return undefined;
  const r: Reassignment = {
    experiment: key,
    switchShare: 0,
    leaveShare: 0,
    newShare: 0,
    exact: true,
    phaseBumped: b.phase !== a.phase,
    causes: [],
  };

  if (b.status !== "running") {
    return { ...r, leaveShare: 1, switchShare: 0, newShare: 0, causes: [{ kind: "status", to: b.status }] };
  }
  if (a.unit !== b.unit) {
    return {
      ...r,
      leaveShare: 1,
      switchShare: 0,
      newShare: null,
      causes: [{ kind: "unit", from: a.unit, to: b.unit }],
    };
  }

  // Enrollment: the share of today's enrolled units that stays, and the new share.
  const before_ = enrollment(key, a, before);
  const after_ = enrollment(key, b, after);
  let stay: number;
  let fresh: number;
  // The share outside the new ranges: units that leave because the ranges shrank (same seed only).
  let outside = 0;
  if (before_.seed === after_.seed) {
    const kept = intersectWidth(before_.ranges, after_.ranges);
    const w = width(before_.ranges);
    stay = w === 0 ? 0 : kept / w;
    fresh = w === 0 ? 0 : (width(after_.ranges) - kept) / w;
    outside = 1 - stay;
  } else {
    // Another hash seed decides enrollment: independent of today's draw, so the shares are expectations.
    r.exact = false;
    stay = width(after_.ranges) / BP;
    fresh = width(after_.ranges) / Math.max(1, width(before_.ranges)) - stay;
    r.causes.push(
      a.layer !== b.layer
        ? { kind: "layer", from: a.layer ?? null, to: b.layer ?? null }
        : { kind: "phase", from: a.phase, to: b.phase, redraws: "enrollment" },
    );
  }

  // Holdouts: a grown holdout takes units out of every experiment that honours holdouts.
  const holdoutStay = b.holdout ? holdoutRetention(before, after, a.holdout) : 1;
  if (holdoutStay < 1) r.causes.push({ kind: "holdouts", share: 1 - holdoutStay });
  stay *= holdoutStay;

  // Variants: among units that stay, those whose variant bucket maps elsewhere switch.
  let switchWithinStay: number;
  if (r.phaseBumped) {
    r.exact = false;
    const pa = new Map(a.variants.map((v) => [v.key, v.weight / BP]));
    switchWithinStay = 1 - b.variants.reduce((s, v) => s + (pa.get(v.key) ?? 0) * (v.weight / BP), 0);
    if (!r.causes.some((c) => c.kind === "phase")) r.causes.push({ kind: "phase", from: a.phase, to: b.phase, redraws: "variants" });
  } else {
    const ra = variantRanges(a.variants);
    const rb = variantRanges(b.variants);
    let same = 0;
    for (const [v, range] of ra) {
      const other = rb.get(v);
      if (other) same += intersectWidth([range], [other]);
    }
    switchWithinStay = (BP - same) / BP;
    if (switchWithinStay > 0) r.causes.push({ kind: "weights", share: switchWithinStay });
  }

  r.leaveShare = clamp(1 - stay);
  r.switchShare = clamp(stay * switchWithinStay);
  r.newShare = Math.max(0, fresh);
  const ranges = a.layer ? "slots" : "traffic";
  if (clamp(outside) > 0) r.causes.push({ kind: "shrank", ranges, share: clamp(outside) });
  if (r.newShare > 0 && r.exact) r.causes.push({ kind: "grew", ranges, share: r.newShare });

  if (targetingChanged(a, b, before, after)) {
    return {
      ...r,
      exact: false,
      switchShare: null,
      leaveShare: null,
      newShare: null,
      causes: [...r.causes, { kind: "targeting" }],
    };
  }
  return r;
}

function enrollment(key: string, e: RulesetExperiment, rs: Ruleset): { seed: string; ranges: Range[] } {
  if (e.layer) return { seed: `layer:${e.layer}`, ranges: rs.layers[e.layer]?.slots[key] ?? [] };
  return { seed: `traffic:${key}:${e.phase}`, ranges: [[0, e.traffic]] };
}

/** Share of units outside all holdouts before that are still outside after (holdout seeds are independent). */
function holdoutRetention(before: Ruleset, after: Ruleset, honouredBefore: boolean): number {
  let keep = 1;
  const keys = new Set([...Object.keys(before.holdouts), ...Object.keys(after.holdouts)]);
  for (const k of keys) {
    const h0 = honouredBefore ? (before.holdouts[k]?.traffic ?? 0) : 0;
    const h1 = after.holdouts[k]?.traffic ?? 0;
    if (h1 > h0) keep *= (BP - h1) / (BP - h0);
  }
  return keep;
}

function targetingChanged(a: RulesetExperiment, b: RulesetExperiment, before: Ruleset, after: Ruleset): boolean {
  if (JSON.stringify(a.targeting ?? null) !== JSON.stringify(b.targeting ?? null)) return true;
  for (const s of segmentRefs(b.targeting, after)) {
    if (JSON.stringify(own(before.segments, s) ?? null) !== JSON.stringify(own(after.segments, s) ?? null)) return true;
  }
  return false;
}

/** Segment names a condition depends on, transitively. */
export function segmentRefs(c: Condition | undefined, rs: Ruleset, seen = new Set<string>()): Set<string> {
  if (!c) return seen;
  const visit = (n: unknown): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(visit);
    const o = n as Record<string, unknown>;
    if (o.op === "segment" && typeof o.name === "string" && !seen.has(o.name)) {
      seen.add(o.name);
      visit(own(rs.segments, o.name));
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(c);
  return seen;
}

function clamp(x: number): number {
  return Math.min(1, Math.max(0, Math.abs(x) < 1e-12 ? 0 : x));
}
