import { BASIS_POINTS } from "../../ruleset/hash.js";

/**
 * Layer slot allocation (docs/hashing.md): each experiment in a layer owns slot ranges [start, end) of the
 * layer's [0, 10000) space whose total width is its traffic. Allocations are kept across compilations
 * so that units never move because a neighbour changed: kept experiments keep their ranges (a shrunk
 * one gives back from its last ranges), grown ones then take extra free space first-fit, and new ones
 * take free space first-fit in alphabetical order. Experiments no longer present free their ranges.
 */
export type Range = [number, number];

export interface SlotRequest {
  experiment: string;
  /** Width in basis points. */
  width: number;
}

export interface SlotAllocation {
  slots: Record<string, Range[]>;
  /** Experiments that could not get their full width, with the width they are missing. */
  shortfalls: { experiment: string; missing: number }[];
}

const widthOf = (rs: Range[]): number => rs.reduce((a, [s, e]) => a + (e - s), 0);

function shrink(ranges: Range[], width: number): Range[] {
  const kept: Range[] = [];
  let left = width;
  for (const [s, e] of ranges) {
    if (left <= 0) break;
    const w = Math.min(e - s, left);
    kept.push([s, s + w]);
    left -= w;
  }
  return kept;
}

/** Free ranges of [0, 10000) given the taken ones, ascending. */
function freeRanges(taken: Range[]): Range[] {
  const sorted = [...taken].sort((a, b) => a[0] - b[0]);
  const free: Range[] = [];
  let at = 0;
  for (const [s, e] of sorted) {
    if (s > at) free.push([at, s]);
    at = Math.max(at, e);
  }
  if (at < BASIS_POINTS) free.push([at, BASIS_POINTS]);
  return free;
}

/** Takes up to `width` from the free list, lowest first; mutates `free`. */
function takeFirstFit(free: Range[], width: number): Range[] {
  const got: Range[] = [];
  let left = width;
  while (left > 0 && free.length > 0) {
    const [s, e] = free[0]!;
    const w = Math.min(e - s, left);
    got.push([s, s + w]);
    left -= w;
    if (s + w >= e) free.shift();
    else free[0] = [s + w, e];
  }
  return got;
}

function append(ranges: Range[], extra: Range[]): Range[] {
  const out = ranges.map((r) => [r[0], r[1]] as Range);
  for (const r of extra) {
    const last = out[out.length - 1];
    if (last && last[1] === r[0]) last[1] = r[1];
    else out.push([r[0], r[1]]);
  }
  return out;
}

export function allocateSlots(requests: SlotRequest[], previous: Record<string, Range[]> = {}): SlotAllocation {
  const slots: Record<string, Range[]> = {};
  const shortfalls: SlotAllocation["shortfalls"] = [];
  const ordered = [...requests].sort((a, b) => (a.experiment < b.experiment ? -1 : a.experiment > b.experiment ? 1 : 0));
  const growing: SlotRequest[] = [];
  const fresh: SlotRequest[] = [];
  for (const r of ordered) {
    const before = previous[r.experiment];
    if (before && before.length > 0) {
      slots[r.experiment] = shrink(before, r.width);
      if (widthOf(before) < r.width) growing.push(r);
    } else fresh.push(r);
  }
  const free = freeRanges(Object.values(slots).flat());
  for (const r of [...growing, ...fresh]) {
    const have = slots[r.experiment] ?? [];
    const extra = takeFirstFit(free, r.width - widthOf(have));
    slots[r.experiment] = append(have, extra);
    const missing = r.width - widthOf(slots[r.experiment]!);
    if (missing > 0) shortfalls.push({ experiment: r.experiment, missing });
  }
  return { slots, shortfalls };
}
