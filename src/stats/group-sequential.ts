import { normalCdf, normalPdf, normalQuantile } from "./distributions.js";

/**
 * Lan–DeMets α-spending for group-sequential designs with two-sided symmetric boundaries on the
 * z statistic. Each side spends α/2 (the convention of gsDesign, ldbounds and rpact):
 * O'Brien–Fleming-type 2 − 2Φ(z_{1−α/4}/√t) per side by default, Pocock-type (α/2)·ln(1 + (e − 1)t)
 * optionally. Boundaries come from numerical integration of the score process
 * S(t) = Z(t)·√t (independent normal increments) on a grid, in the manner of Armitage, McPherson
 * and Rowe: the sub-density of S on the continuation region is carried from look to look.
 */
export type Spending = "obrien_fleming" | "pocock";

/** Two-sided α spent by information fraction t (both sides together). */
export function alphaSpent(t: number, alpha: number, spending: Spending): number {
  if (t <= 0) return 0;
  const u = Math.min(t, 1);
  if (spending === "pocock") return alpha * Math.log(1 + (Math.E - 1) * u);
  return 2 * (2 - 2 * normalCdf(normalQuantile(1 - alpha / 4) / Math.sqrt(u)));
}

const POINTS = 801;

/** Boundaries c_k (on |Z|) at the information fractions `times` (increasing, last normally 1). */
export function groupSequentialBounds(times: readonly number[], alpha: number, spending: Spending = "obrien_fleming"): number[] {
  const bounds: number[] = [];
  // Sub-density of S on the continuation region at the previous look: grid and weights.
  let grid: number[] = [];
  let density: number[] = [];
  let prevT = 0;
  let prevSpent = 0;
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    const target = alphaSpent(t, alpha, spending) - prevSpent;
    const dt = t - prevT;
    const sd = Math.sqrt(dt);
    // Probability of crossing ±c·√t at this look while not having stopped before.
    const crossing = (c: number): number => {
      const b = c * Math.sqrt(t);
      if (k === 0) return 2 * (1 - normalCdf(b / sd));
      let total = 0;
      for (let i = 0; i < grid.length; i++) {
        total += density[i]! * (1 - normalCdf((b - grid[i]!) / sd) + normalCdf((-b - grid[i]!) / sd));
      }
      return total;
    };
    // crossing(c) decreases in c: bisection.
    let lo = 0,
      hi = 40;
    for (let it = 0; it < 200 && hi - lo > 1e-12; it++) {
      const mid = (lo + hi) / 2;
      if (crossing(mid) > target) lo = mid;
      else hi = mid;
    }
    const c = (lo + hi) / 2;
    bounds.push(c);
    // Carry the sub-density of S(t) on (−c√t, c√t) to the next look (Simpson weights on the new grid).
    const b = c * Math.sqrt(t);
    const h = (2 * b) / (POINTS - 1);
    const nextGrid: number[] = [];
    const nextDensity: number[] = [];
    for (let j = 0; j < POINTS; j++) {
      const s = -b + j * h;
      const w = (j === 0 || j === POINTS - 1 ? 1 : j % 2 === 1 ? 4 : 2) * (h / 3);
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
    prevSpent += target;
  }
  return bounds;
}
