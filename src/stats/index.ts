// The stats engine's public surface.
export type * from "./types.js";
export type * from "./analysis-types.js";
export { analyzeStats } from "./experiment.js";
export { summarizeMean, summarizeRatio, summarizeQuantile, summarizeCupedOutcome, sampleVariance, sampleCovariance } from "./moments.js";
export { compareMeans, welchDf, relativeVariance } from "./welch.js";
export { twoProportionZTest } from "./proportions.js";
export { pooledTheta, pooledCovariateMean, cupedVarianceReduction, adjustArm, compareCuped } from "./cuped.js";
export { srmCheck } from "./srm.js";
export { adjustPValues } from "./correction.js";
export { nonInferiority } from "./noninferiority.js";
export {
  normalPower,
  tTestPower,
  chiSquarePower,
  cohensH,
  sampleSize,
  minimumDetectableEffect,
  powerForEffect,
  sizingCorrection,
} from "./power.js";
export { conversionSampleSize } from "./conversion-sample-size.js";
export { confidenceSequence } from "./sequential.js";
export { groupSequentialBounds, alphaSpent, logAlphaSpent, lookTimesProblem } from "./group-sequential.js";
export { betaBinomialComparison, betaCredibleInterval, normalEffectPosterior, normalRisk } from "./bayesian.js";
export { probabilityBestBeta, probabilityBestNormal, banditWeights } from "./bandit.js";
export { interleavingTest } from "./interleaving.js";
export { heterogeneityTest } from "./heterogeneity.js";
export { ips, snips, doublyRobust } from "./off-policy.js";
