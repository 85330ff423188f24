import { normalLogCdf, normalPdf, normalQuantile, normalQuantileFromLog } from "./distributions.js";

/**
 * Lan–DeMets α-spending for group-sequential designs with two-sided symmetric boundaries on the
 * z statistic. Each side spends α/2 (the convention of gsDesign, ldbounds and rpact):
 * O'Brien–Fleming-type 2 − 2Φ(z_{1−α/4}/√t) per side by default, Pocock-type (α/2)·ln(1 + (e − 1)t)
 * optionally. Boundaries come from numerical integration of the score process
 * S(t) = Z(t)·√t (independent normal increments) on a grid, in the manner of Armitage, McPherson
 * and Rowe: the sub-density of S on the continuation region is carried from look to look.
 *
 * Spending and crossing probabilities are handled as logarithms: an O'Brien–Fleming first look at
 * t = 0.001 spends about 1e-1090 of α, which no double holds, and its boundary (≈ 70.6) is still
 * well defined. (rpact reports ∞ for such a look; its later boundaries agree with these.)
 */
export type Spending = "obrien_fleming" | "pocock";

/** log of the two-sided α spent by information fraction t (both sides together). */
export function logAlphaSpent(t: number, alpha: number, spending: Spending): number {
  if (!(t > 0)) return -Infinity;
  const u = Math.min(t, 1);
  if (spending === "pocock") return Math.log(alpha) + Math.log(Math.log1p((Math.E - 1) * u));
  // 4·Φ(z_{α/4}/√u) with z_{α/4} < 0: the lower tail keeps its relative precision.
  return Math.log(4) + normalLogCdf(normalQuantile(alpha / 4) / Math.sqrt(u));
}

/** Two-sided α spent by information fraction t (both sides together); 0 only where it underflows a double. */
export function alphaSpent(t: number, alpha: number, spending: Spending): number {
  return Math.exp(logAlphaSpent(t, alpha, spending));
}

/**
 * Why these look times cannot be a design, or undefined when they can: there must be at least one,
 * each a finite information fraction in (0, 1], strictly increasing.
 */
export function lookTimesProblem(times: readonly number[]): string | undefined {
  if (times.length === 0) return "a group-sequential design needs at least one look; give the information fraction of each look";
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    if (!(t > 0 && t <= 1)) return `look ${k + 1} is at information fraction ${t}; each look must be at a fraction above 0 and at most 1`;
    if (k > 0 && !(t > times[k - 1]!))
      return `look ${k + 1} (information fraction ${t}) does not come after look ${k} (${times[k - 1]}); give the looks in strictly increasing order`;
  }
  return undefined;
}

const MIN_POINTS = 801;
const MAX_POINTS = 4001;

/** log(e^a + e^b). */
function logAdd(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * Boundaries c_k (on |Z|) at the information fractions `times`. Throws a RangeError, whose message
 * says what to fix, when the times are not strictly increasing fractions in (0, 1] (see
 * `lookTimesProblem`, which a caller can ask first to report the problem as a diagnostic) or α is
 * not in (0, 1).
 */
export function groupSequentialBounds(times: readonly number[], alpha: number, spending: Spending = "obrien_fleming"): number[] {
  const problem = lookTimesProblem(times) ?? (alpha > 0 && alpha < 1 ? undefined : `α is ${alpha}; give a level between 0 and 1`);
  if (problem) throw new RangeError(problem);
  const bounds: number[] = [];
  // Sub-density of S on the continuation region at the previous look: grid and Simpson-weighted values.
  let grid: number[] = [];
  let density: number[] = [];
  let prevT = 0;
  let prevLogSpent = -Infinity;
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    const logSpent = logAlphaSpent(t, alpha, spending);
    // log(spent(t) − spent(previous t)).
    const logTarget = logSpent + Math.log1p(-Math.exp(prevLogSpent - logSpent));
    const sd = Math.sqrt(t - prevT);
    let c: number;
    if (k === 0) {
      // 2Φ(−c) = target, solved in logs.
      c = -normalQuantileFromLog(logTarget - Math.log(2));
    } else {
      // log P(crossing ±c√t at this look without having stopped before); decreasing in c.
      const logCrossing = (cc: number): number => {
        const b = cc * Math.sqrt(t);
        let top = -Infinity;
        const terms = grid.map((g) => {
          const v = logAdd(normalLogCdf((g - b) / sd), normalLogCdf((-b - g) / sd));
          if (v > top) top = v;
          return v;
        });
        if (top === -Infinity) return -Infinity;
        let sum = 0;
        terms.forEach((v, i) => (sum += density[i]! * Math.exp(v - top)));
        return top + Math.log(sum);
      };
      let lo = 0;
      let hi = 8;
      while (logCrossing(hi) > logTarget && hi < 1e6) {
        lo = hi;
        hi *= 2;
      }
      for (let it = 0; it < 200 && hi - lo > 1e-13 * hi; it++) {
        const mid = (lo + hi) / 2;
        if (logCrossing(mid) > logTarget) lo = mid;
        else hi = mid;
      }
      c = (lo + hi) / 2;
    }
    bounds.push(c);
    if (k === times.length - 1) break;
    // Carry the sub-density of S(t) on (−c√t, c√t) to the next look, on a grid fine enough for the
    // next increment's standard deviation.
    const b = c * Math.sqrt(t);
    const nextSd = Math.sqrt(times[k + 1]! - t);
    const points = Math.min(MAX_POINTS, Math.max(MIN_POINTS, 2 * Math.ceil((8 * b) / nextSd) + 1));
    const h = (2 * b) / (points - 1);
    const nextGrid: number[] = [];
    const nextDensity: number[] = [];
    for (let j = 0; j < points; j++) {
      const s = -b + j * h;
      const w = (j === 0 || j === points - 1 ? 1 : j % 2 === 1 ? 4 : 2) * (h / 3);
      let f: number;
      if (k === 0) f = normalPdf(s / sd) / sd;
      else {
        f = 0;
        for (let i = 0; i < grid.length; i++) f += density[i]! * normalPdf((s - grid[i]!) / sd);
        f /= sd;
      }
      nextGrid.push(s);
      nextDensity.push(f * w);
    }
    grid = nextGrid;
    density = nextDensity;
    prevT = t;
    prevLogSpent = logSpent;
  }
  return bounds;
}
