/**
 * The browser entry ("<package>/evaluator"): the evaluator and a fetch-based client, with nothing
 * from Node or npm (test/conformance/browser-build.test.ts bundles it with esbuild for the browser and
 * holds it to a size budget). Server code uses "<package>/runtime" instead.
 */
export { createEvaluator, type Evaluator } from "./evaluator.js";
export { redirectUrl } from "./redirect.js";
export {
  createBrowserClient,
  verifyRulesetInBrowser,
  RulesetRejected,
  type BrowserClient,
  type BrowserClientOptions,
} from "./browser-client.js";
export { bucket, murmur3, weightsToBasisPoints, HASH_VERSION } from "../ruleset/hash.js";
export type { Attributes } from "./condition.js";
export type { Ruleset } from "../ruleset/types.js";
export type { AssignmentResult, AssignmentReason, EvaluateAllResult, FlagReason, FlagResult } from "./result.js";
