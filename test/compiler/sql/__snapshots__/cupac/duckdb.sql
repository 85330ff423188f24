-- exp:metrics exp1: avg_rev_cupac (cupac)
WITH
-- exp:exposure_units
exposure_units AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MAX(x."variant") AS last_variant, MIN(x."ts") AS first_ts, MAX(x."ts") AS last_ts
  FROM "exposures" AS x
  WHERE x."experiment" = $1 AND x."ts" < CAST($2 AS TIMESTAMP)
  GROUP BY x."unit_id"
),
-- exp:exposure_summary
exposure_totals AS (
  SELECT CAST(COUNT(CASE WHEN variant <> last_variant THEN 1 END) AS DOUBLE) AS multiple_exposures, MIN(first_ts) AS first_exposure, MAX(last_ts) AS last_exposure
  FROM exposure_units
),
-- exp:first_exposure
first_exposure AS (
  SELECT unit_id, variant, first_ts AS first_exposure
  FROM exposure_units
  WHERE variant = last_variant
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    AVG(CASE WHEN e."event" = $3 AND e."ts" >= f.first_exposure THEN TRY_CAST(json_extract_string(e."properties", '$.revenue') AS DOUBLE) END) AS m0_a0,
    -- exp:cuped_pre_period
    AVG(CASE WHEN e."event" = $3 AND e."ts" < f.first_exposure THEN TRY_CAST(json_extract_string(e."properties", '$.revenue') AS DOUBLE) END) AS m0_p0,
    MAX(CASE WHEN e."event" = $3 AND e."ts" < f.first_exposure THEN 1 ELSE 0 END) AS m0_p1,
    COUNT(CASE WHEN e."event" = $4 AND (FLOOR(((epoch_us(e."ts") - epoch_us(f.first_exposure)) / 1000000.0) / 3600) <= 1) AND e."ts" < f.first_exposure THEN 1 END) AS m0_p2
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" IN ($3, $4)
    AND e."ts" >= f.first_exposure - INTERVAL '1209600 seconds'
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2 AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(u.m0_a0 AS DOUBLE) AS m0_y,
    CASE WHEN CAST(u.m0_a0 AS DOUBLE) IS NULL THEN NULL ELSE COALESCE(CAST(u.m0_p0 AS DOUBLE), 0) END AS m0_x0,
    CASE WHEN CAST(u.m0_a0 AS DOUBLE) IS NULL THEN NULL ELSE COALESCE(CAST(COALESCE(u.m0_p1, 0) AS DOUBLE), 0) END AS m0_x1,
    CASE WHEN CAST(u.m0_a0 AS DOUBLE) IS NULL THEN NULL ELSE COALESCE(CAST(COALESCE(u.m0_p2, 0) AS DOUBLE), 0) END AS m0_x2
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE) AS m0_n,
  SUM(m0_y) AS m0_sum_y,
  SUM(m0_y * m0_y) AS m0_sum_y2,
  SUM(m0_x0) AS m0_sum_x0,
  SUM(m0_x0 * m0_y) AS m0_sum_x0_y,
  SUM(m0_x1) AS m0_sum_x1,
  SUM(m0_x1 * m0_y) AS m0_sum_x1_y,
  SUM(m0_x2) AS m0_sum_x2,
  SUM(m0_x2 * m0_y) AS m0_sum_x2_y,
  SUM(m0_x0 * m0_x0) AS m0_sum_x0_x0,
  SUM(m0_x0 * m0_x1) AS m0_sum_x0_x1,
  SUM(m0_x0 * m0_x2) AS m0_sum_x0_x2,
  SUM(m0_x1 * m0_x1) AS m0_sum_x1_x1,
  SUM(m0_x1 * m0_x2) AS m0_sum_x1_x2,
  SUM(m0_x2 * m0_x2) AS m0_sum_x2_x2,
  CAST(COUNT(*) AS DOUBLE) AS units,
  MAX(t.multiple_exposures) AS multiple_exposures,
  MAX(t.first_exposure) AS first_exposure,
  MAX(t.last_exposure) AS last_exposure
FROM unit_metrics
CROSS JOIN exposure_totals AS t
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase","page_load"]
