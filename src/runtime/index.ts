/** The runtime entry ("<package>/runtime"): SDK, OpenFeature provider, evaluator and hashing. */
export { createClient, RulesetLoadError, type Client, type ClientOptions } from "./client.js";
export { ExpProvider } from "./openfeature.js";
export { createHttpSink, type HttpSink, type HttpSinkOptions, type SinkKind } from "./sdk/http-sink.js";
export type { QueueStats } from "./sdk/send-queue.js";
export type { Assignment } from "./sdk/exposure-logger.js";
export type { TrackInput } from "./sdk/tracked-event.js";
export type { EventTracker, Exposure, ExposureSink, IdentifyCall, TrackedEvent } from "./sdk/wire.js";
export { createEvaluator, type Evaluator } from "./evaluator.js";
export { redirectUrl } from "./redirect.js";
export { interleave, interleaveRankings, type InterleaveOptions, type InterleaveResult, type InterleavedList } from "./interleave.js";
export { bucket, murmur3, weightsToBasisPoints, HASH_VERSION } from "../ruleset/hash.js";
export type { Attributes } from "./condition.js";
export type { UnitIds, UnitRef } from "./unit-ids.js";
export type { Ruleset } from "../ruleset/types.js";
export type { AssignmentResult, AssignmentReason, EvaluateAllResult, FlagReason, FlagResult } from "./result.js";
