import { logGamma } from "./incomplete-beta.js";

/**
 * Team-draft interleaving: each query's clicks credit ranker A, ranker B or neither (a tie).
 * The preference Δ = (wins_A − wins_B)/(wins_A + wins_B) is tested with an exact two-sided
 * binomial test of wins_A against p = 1/2, ties left out (as scipy.stats.binomtest).
 */
export interface InterleavingResult {
  readonly preference: number;
  readonly pValue: number;
}

function logBinomialPmf(k: number, n: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) - n * Math.LN2;
}

export function interleavingTest(winsA: number, winsB: number): InterleavingResult {
  const n = winsA + winsB;
  if (n === 0) return { preference: 0, pValue: 1 };
  const observed = logBinomialPmf(winsA, n);
  // Two-sided: sum the probabilities of outcomes no more likely than the observed one.
  let p = 0;
  for (let k = 0; k <= n; k++) {
    const lp = logBinomialPmf(k, n);
    if (lp <= observed + 1e-7 * Math.abs(observed)) p += Math.exp(lp);
  }
  return { preference: (winsA - winsB) / n, pValue: Math.min(1, p) };
}
