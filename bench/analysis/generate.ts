/**
 * Synthetic warehouse for the analysis benchmark, generated inside DuckDB with range() so that
 * 100M events take minutes, not hours. 1% of units are also exposed to the other variant
 * (multiple exposures); events span 11 days before to 29 days after the exposure period.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

export interface BenchSize {
  exposures: number;
  events: number;
}

export async function generateWarehouse(connection: DuckDBConnection, size: BenchSize): Promise<void> {
  const units = Math.round(size.exposures / 1.01);
  const doubles = size.exposures - units;
  await connection.run(`
    CREATE OR REPLACE TABLE exposures AS
    SELECT 'u' || i AS unit_id, 'bench' AS experiment,
           CASE WHEN hash(i) % 2 = 0 THEN 'control' ELSE 'treatment' END AS variant,
           TIMESTAMP '2026-12-01' + to_seconds(CAST(hash(i + 1000000007) % (14 * 86400) AS BIGINT)) AS ts,
           CAST(NULL AS VARCHAR) AS session_id, CAST(NULL AS JSON) AS attributes
    FROM range(${units}) t(i)
    UNION ALL
    SELECT 'u' || (i * 100) AS unit_id, 'bench',
           CASE WHEN hash(i * 100) % 2 = 0 THEN 'treatment' ELSE 'control' END,
           TIMESTAMP '2026-12-01' + to_seconds(CAST(hash(i + 7) % (14 * 86400) AS BIGINT)),
           NULL, NULL
    FROM range(${doubles}) t(i)`);
  // Treatment units buy a little more: the unit's variant parity shifts the purchase share.
  await connection.run(`
    CREATE OR REPLACE TABLE events AS
    WITH raw AS (
      SELECT j, hash(j) % ${units} AS u, hash(j + 99991) % 1000 AS r
      FROM range(${size.events}) t(j)
    )
    SELECT 'u' || u AS unit_id, CAST(NULL AS VARCHAR) AS session_id,
           CASE WHEN r < 600 THEN 'page_view' WHEN r < 800 THEN 'impression' WHEN r < 900 + (hash(u) % 2) * 8 THEN 'click' ELSE 'purchase' END AS event,
           TIMESTAMP '2026-11-20' + to_seconds(CAST(hash(j + 3) % (40 * 86400) AS BIGINT)) AS ts,
           CASE WHEN r >= 900 THEN CAST(r - 880 AS DOUBLE) END AS value,
           CASE WHEN r >= 908 THEN CAST('{"revenue": ' || (r - 880) || '.5, "currency": "USD"}' AS JSON)
                WHEN r >= 800 THEN CAST('{"position": ' || (r % 10) || '}' AS JSON) END AS properties,
           'e' || j AS event_id
    FROM raw`);
}
