import { logBetaDensity, logIncompleteBeta } from "./incomplete-beta.js";
import { logBeta } from "./log-gamma.js";

/**
 * The inverse regularized incomplete beta: the x with I_x(a, b) = p (the Beta quantile). It solves
 * for whichever of x and 1 − x is at most 1/2 (so that a quantile near 0 or near 1 keeps its
 * relative precision), matching the smaller probability tail in logs —
 * log I_x(a, b) = log p, or log(1 − I_x(a, b)) = log(1 − p) — by Newton steps on u = log x kept
 * inside a bracket.
 */
export function inverseIncompleteBeta(p: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  const lower = p <= 0.5;
  const logTarget = lower ? Math.log(p) : Math.log1p(-p);
  // Solve for x when the answer is at most 1/2, else for 1 − x: X ~ Beta(a, b) is 1 − Y with
  // Y ~ Beta(b, a), and X's lower tail is Y's upper tail.
  const atHalf = lower ? logIncompleteBeta(0.5, a, b, 0.5) : logIncompleteBeta(0.5, b, a, 0.5);
  if (lower ? logTarget <= atHalf : logTarget >= atHalf) return solve(lower, logTarget, a, b);
  return 1 - solve(!lower, logTarget, b, a);
}

/** The x with log I_x(a, b) = logTarget (`lower`) or log(1 − I_x(a, b)) = logTarget. */
function solve(lower: boolean, logTarget: number, a: number, b: number): number {
  // Increasing in u = log x: the lower tail, or minus the upper tail.
  const tail = (x: number, y: number): number => (lower ? logIncompleteBeta(x, a, b, y) : logIncompleteBeta(y, b, a, x));
  const h = (u: number): number => {
    const v = tail(Math.exp(u), -Math.expm1(u)) - logTarget;
    return lower ? v : -v;
  };
  // For b ≥ 1, I_x(a, b) ≤ x^a / (a·B(a, b)): its root is below the answer. Step down until it is.
  let lo = Math.min(-1e-300, lower ? (logTarget + Math.log(a) + logBeta(a, b)) / a : Math.log(a / (a + b)));
  for (let i = 0; i < 100 && h(lo) > 0; i++) lo = lo * 2 - 1;
  let hi = 0;
  let u = lo;
  for (let i = 0; i < 300; i++) {
    const x = Math.exp(u);
    const y = -Math.expm1(u);
    const logTail = tail(x, y);
    const f = lower ? logTail - logTarget : logTarget - logTail;
    if (f === 0) return x;
    if (f < 0) lo = u;
    else hi = u;
    const slope = Math.exp(u + logBetaDensity(x, a, b, y) - logTail);
    let next = u - f / slope;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const tolerance = 4 * Number.EPSILON * Math.max(Math.abs(u), Number.MIN_VALUE);
    if (Math.abs(next - u) <= tolerance || hi - lo <= tolerance) return Math.exp(next);
    u = next;
  }
  return Math.exp(u);
}
