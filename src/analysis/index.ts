export type { Warehouse } from "./warehouse.js";
export { WarehouseError } from "./warehouse.js";
export { DuckDbWarehouse } from "./duckdb-warehouse.js";
export { PostgresWarehouse } from "./postgres-warehouse.js";
export { openWarehouse } from "./connect.js";
export { fetchSufficientStats } from "./fetch-stats.js";
export type { ExperimentSufficientStats, MetricSufficientStats } from "./fetch-stats.js";
export { ANALYSIS_CODES } from "./codes.js";
