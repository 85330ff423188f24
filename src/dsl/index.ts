/**
 * The expression language (docs/language.md): parsing, printing and checking of conditions and metric expressions.
 * Everything other areas need from src/dsl is exported here.
 */
export type * from "./ast.js";
export type { AttributeType, MetricKind, Origin, PropertyType } from "./declarations.js";
export { AGGREGATES } from "./ast.js";
export type { ExprOrigin } from "./origin.js";
export { parseCondition, parseMetricExpr, wholeFileOrigin, type ParseResult } from "./parse.js";
export { printExpr, stripSpans } from "./printer.js";
export type { CheckEnv, MetricCheckResult } from "./check/env.js";
export { checkCondition } from "./check/condition.js";
export { checkMetricExpr } from "./check/metric.js";
export { classifyMetric, type MetricShape } from "./check/metric/classify.js";
export { findSegmentCycles, segmentReferences } from "./check/segment-cycles.js";
export { DSL_CODES } from "./codes.js";
