/**
 * Sets of attribute values, closed under intersection and complement, so that the satisfiability
 * test can intersect what two conditions allow for one attribute and see whether anything is left.
 *
 * Every set has an `other` part: a missing attribute, or a value of another type than the
 * attribute's domain. Conditions treat both alike (a comparison with them is false), which is why
 * one flag can stand for both.
 */

/** Equality-only values (strings, enums, booleans), as a finite set or the complement of one. */
export interface DiscreteSet {
  kind: "discrete";
  /** When co is false, the members; when true, the non-members. */
  values: Set<string>;
  co: boolean;
  other: boolean;
  /** The closed universe of an enum or boolean attribute, which lets "not a, not b, not c" be empty. */
  universe?: readonly string[];
}

export interface Bound<K> {
  v: K;
  incl: boolean;
}
/** An interval of an ordered domain; an absent bound is unbounded. */
export interface Interval<K> {
  lo?: Bound<K>;
  hi?: Bound<K>;
}

/** Ordered values (numbers, versions, dates), as a union of intervals (overlaps allowed). */
export interface OrderedSet<K> {
  kind: "ordered";
  intervals: Interval<K>[];
  other: boolean;
  compare: (a: K, b: K) => number;
}

export type ValueSet = DiscreteSet | OrderedSet<unknown>;

/** Past this many intervals a set is not worth tracking; callers then treat it as "anything". */
export const MAX_INTERVALS = 256;

function closeUniverse(s: DiscreteSet): DiscreteSet {
  if (!s.co || !s.universe) return s;
  return { ...s, co: false, values: new Set(s.universe.filter((u) => !s.values.has(u))) };
}

export function discrete(values: Iterable<string>, universe?: readonly string[]): DiscreteSet {
  return { kind: "discrete", values: new Set(values), co: false, other: false, universe };
}

export function ordered<K>(intervals: Interval<K>[], compare: (a: K, b: K) => number): OrderedSet<K> {
  return { kind: "ordered", intervals, other: false, compare };
}

export function point<K>(v: K): Interval<K> {
  return { lo: { v, incl: true }, hi: { v, incl: true } };
}

export function isEmptyInterval<K>(i: Interval<K>, compare: (a: K, b: K) => number): boolean {
  if (!i.lo || !i.hi) return false;
  const c = compare(i.lo.v, i.hi.v);
  return c > 0 || (c === 0 && !(i.lo.incl && i.hi.incl));
}

function intersectInterval<K>(a: Interval<K>, b: Interval<K>, compare: (a: K, b: K) => number): Interval<K> {
  let lo = a.lo;
  if (b.lo) {
    if (!lo) lo = b.lo;
    else {
      const c = compare(lo.v, b.lo.v);
      if (c < 0) lo = b.lo;
      else if (c === 0) lo = { v: lo.v, incl: lo.incl && b.lo.incl };
    }
  }
  let hi = a.hi;
  if (b.hi) {
    if (!hi) hi = b.hi;
    else {
      const c = compare(hi.v, b.hi.v);
      if (c > 0) hi = b.hi;
      else if (c === 0) hi = { v: hi.v, incl: hi.incl && b.hi.incl };
    }
  }
  return { lo, hi };
}

/** The complement of one interval: up to two intervals. */
function complementInterval<K>(i: Interval<K>): Interval<K>[] {
  const out: Interval<K>[] = [];
  if (i.lo) out.push({ hi: { v: i.lo.v, incl: !i.lo.incl } });
  if (i.hi) out.push({ lo: { v: i.hi.v, incl: !i.hi.incl } });
  return out;
}

function intersectIntervals<K>(a: Interval<K>[], b: Interval<K>[], compare: (a: K, b: K) => number): Interval<K>[] {
  const out: Interval<K>[] = [];
  for (const x of a) {
    for (const y of b) {
      const z = intersectInterval(x, y, compare);
      if (!isEmptyInterval(z, compare)) out.push(z);
    }
  }
  return out;
}

/** Intersection of two sets of the same domain. */
export function intersect(a: ValueSet, b: ValueSet): ValueSet {
  if (a.kind === "discrete" && b.kind === "discrete") {
    const universe = a.universe ?? b.universe;
    let values: Set<string>;
    let co: boolean;
    if (!a.co && !b.co) {
      values = new Set([...a.values].filter((v) => b.values.has(v)));
      co = false;
    } else if (!a.co || !b.co) {
      const [fin, cof] = a.co ? [b, a] : [a, b];
      values = new Set([...fin.values].filter((v) => !cof.values.has(v)));
      co = false;
    } else {
      values = new Set([...a.values, ...b.values]);
      co = true;
    }
    return closeUniverse({ kind: "discrete", values, co, other: a.other && b.other, universe });
  }
  if (a.kind === "ordered" && b.kind === "ordered") {
    return {
      kind: "ordered",
      intervals: intersectIntervals(a.intervals, b.intervals, a.compare),
      other: a.other && b.other,
      compare: a.compare,
    };
  }
  throw new Error("intersect: sets of different domains");
}

export function complement(s: ValueSet): ValueSet {
  if (s.kind === "discrete") return closeUniverse({ ...s, co: !s.co, other: !s.other });
  // The complement of a union is the intersection of the complements (De Morgan), which keeps
  // the code free of a sort-and-merge step.
  let acc: Interval<unknown>[] = [{}];
  for (const i of s.intervals) {
    acc = intersectIntervals(acc, complementInterval(i), s.compare);
    if (acc.length === 0) break;
  }
  return { kind: "ordered", intervals: acc, other: !s.other, compare: s.compare };
}

export function isEmpty(s: ValueSet): boolean {
  if (s.other) return false;
  if (s.kind === "discrete") return !s.co && s.values.size === 0;
  return s.intervals.every((i) => isEmptyInterval(i, s.compare));
}

export function size(s: ValueSet): number {
  return s.kind === "discrete" ? s.values.size : s.intervals.length;
}
