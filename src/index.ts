/** The package entry: the in-process SDK and its OpenFeature provider. */
export { createClient, RulesetLoadError, ExpProvider, createEvaluator, bucket } from "./runtime/index.js";
export type {
  Client,
  ClientOptions,
  Evaluator,
  Ruleset,
  AssignmentResult,
  FlagResult,
  EvaluateAllResult,
  Attributes,
} from "./runtime/index.js";
export { compileRuleset } from "./compiler/ruleset/compile.js";
export { verifyRuleset } from "./ruleset/verify.js";
