export { compileExperimentSql } from "./compile.js";
export type { CompileSqlOptions, CompiledExperimentSql, CompiledMetricQuery, CompiledQuery, MetricColumns } from "./compile.js";
export type { DialectName, SqlDialect } from "./dialect.js";
export { dialects, DIALECT_NAMES, isDialectName } from "./dialects/index.js";
export type { MetricShape } from "./metric-plan.js";
export { STAT_COLUMNS } from "./blocks/sufficient-stats.js";
export { SQL_CODES } from "./codes.js";
export { parseAsOf, type CohortFilter, type PhaseFilter } from "./context.js";
export { offPolicySumsSql, OFF_POLICY_COLUMNS, OFF_POLICY_DR_COLUMNS } from "./blocks/off-policy-sums.js";
