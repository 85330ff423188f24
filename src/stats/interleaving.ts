import { logGamma } from "./incomplete-beta.js";
import type { Num } from "./analysis-types.js";
import { inverseIncompleteBeta } from "./inverse-beta.js";

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

/**
 * What the warehouse counts per unit (or session) of an interleaving experiment: a unit whose clicks
 * credit ranker A more often than ranker B is a win for A, the reverse a win for B, an equal
 * non-zero count a tie, and a unit without credited clicks shows no preference at all.
 */
export interface InterleavingCounts {
  winsA: number;
  winsB: number;
  ties: number;
  /** Enrolled units that clicked no shown item. */
  noClicks: number;
}

export interface InterleavingAnalysis extends InterleavingCounts {
  /** Units with a preference or a tie. */
  units: number;
  /** winsA / (winsA + winsB): the share of the preferring units that prefer ranker A; NaN without any. */
  share: number;
  /** Clopper–Pearson interval of the share at 1 − alpha (exact, as scipy's proportion_ci method "exact"). */
  shareLower: number;
  shareUpper: number;
  /** (winsA − winsB) / (winsA + winsB), the Δ of interleavingTest. */
  preference: number;
  /** Ties counted as half a win each: (winsA + ties/2) / (winsA + winsB + ties) − 1/2 (Chapelle et al. 2012). */
  deltaWithTies: number;
  /** Exact two-sided binomial (sign) test of winsA against winsB, ties left out. */
  pValue: number;
  alpha: number;
  /** "A" or "B" when the test rejects an even preference at alpha, else null. */
  winner: "A" | "B" | null;
}

export function interleavingAnalysis(counts: InterleavingCounts, alpha: number): InterleavingAnalysis {
  const { winsA, winsB, ties } = counts;
  const n = winsA + winsB;
  const { preference, pValue } = interleavingTest(winsA, winsB);
  const share = n > 0 ? winsA / n : NaN;
  const shareLower = n === 0 ? NaN : winsA === 0 ? 0 : inverseIncompleteBeta(alpha / 2, winsA, n - winsA + 1);
  const shareUpper = n === 0 ? NaN : winsA === n ? 1 : inverseIncompleteBeta(1 - alpha / 2, winsA + 1, n - winsA);
  const judged = n + ties;
  return {
    ...counts,
    units: judged,
    share,
    shareLower,
    shareUpper,
    preference,
    deltaWithTies: judged > 0 ? (winsA + ties / 2) / judged - 0.5 : 0,
    pValue,
    alpha,
    winner: n > 0 && pValue < alpha ? (winsA > winsB ? "A" : "B") : null,
  };
}

/** The analysis JSON's `interleaving` (docs/analysis.md#interleaving). */
export interface InterleavingJson {
  method: string;
  /** Ranker A and ranker B, in the experiment's order. */
  rankers: [string, string];
  click_event: string;
  item_property: string;
  /** Enrolled units (sessions in a session experiment) whose credited clicks favour A, favour B, are equal, or are none. */
  wins_a: number;
  wins_b: number;
  ties: number;
  no_clicks: number;
  clicks_a: number;
  clicks_b: number;
  /** wins_a / (wins_a + wins_b) and its exact (Clopper–Pearson) interval at 1 − alpha. */
  share_a: Num;
  share_a_ci: [Num, Num];
  /** (wins_a − wins_b) / (wins_a + wins_b). */
  preference: Num;
  /** Ties as half a win each: (wins_a + ties/2) / (wins_a + wins_b + ties) − 1/2. */
  delta_with_ties: Num;
  /** Exact two-sided sign (binomial) test of wins_a against wins_b, ties left out. */
  p_value: Num;
  alpha: number;
  /** The preferred ranker when the test rejects no preference at alpha, else null. */
  winner: string | null;
}
