/** The package entry: the in-process SDK and its OpenFeature provider. */
export { createClient, createHttpSink, RulesetLoadError, ExpProvider, createEvaluator, bucket } from "./runtime/index.js";
export type {
  Assignment,
  Client,
  EventTracker,
  Exposure,
  ExposureSink,
  HttpSink,
  HttpSinkOptions,
  TrackInput,
  TrackedEvent,
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
