-- exp:metrics exp1: avg_rev_cupac (cupac)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
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
  toFloat64(COUNT(*)) AS units,
  MAX(t.multiple_exposures) AS multiple_exposures,
  MAX(t.first_exposure) AS first_exposure,
  MAX(t.last_exposure) AS last_exposure
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(u.m0_a0) AS m0_y,
    CASE WHEN toFloat64(u.m0_a0) IS NULL THEN NULL ELSE COALESCE(toFloat64(u.m0_p0), 0) END AS m0_x0,
    CASE WHEN toFloat64(u.m0_a0) IS NULL THEN NULL ELSE COALESCE(toFloat64(COALESCE(u.m0_p1, 0)), 0) END AS m0_x1,
    CASE WHEN toFloat64(u.m0_a0) IS NULL THEN NULL ELSE COALESCE(toFloat64(COALESCE(u.m0_p2, 0)), 0) END AS m0_x2
  FROM (
    -- exp:first_exposure
    SELECT unit_id, variant, first_ts AS first_exposure
    FROM (
      -- exp:exposure_units
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MAX(x."exp_variant") AS last_variant, MIN(x."ts") AS first_ts, MAX(x."ts") AS last_ts
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
    ) AS exposure_units
    WHERE variant = last_variant
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      AVG(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m0_a0,
      -- exp:cuped_pre_period
      AVG(CASE WHEN e."event" = 'purchase' AND e."ts" < f.first_exposure THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m0_p0,
      MAX(CASE WHEN e."event" = 'purchase' AND e."ts" < f.first_exposure THEN 1 ELSE 0 END) AS m0_p1,
      COUNT(CASE WHEN e."event" = 'page_load' AND (FLOOR((toFloat64(toUInt32(e."ts")) - toFloat64(toUInt32(f.first_exposure))) / 3600) <= 1) AND e."ts" < f.first_exposure THEN 1 END) AS m0_p2
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT unit_id, variant, first_ts AS first_exposure
      FROM (
        -- exp:exposure_units
        SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MAX(x."exp_variant") AS last_variant, MIN(x."ts") AS first_ts, MAX(x."ts") AS last_ts
        FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
        WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
        GROUP BY x."exp_unit_id"
      ) AS exposure_units
      WHERE variant = last_variant
    ) AS f USING unit_id
    WHERE e."event" IN ('purchase', 'page_load')
      AND e."ts" >= addSeconds(f.first_exposure, -1209600)
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
CROSS JOIN (
  -- exp:exposure_summary
  SELECT toFloat64(COUNT(CASE WHEN variant <> last_variant THEN 1 END)) AS multiple_exposures, MIN(first_ts) AS first_exposure, MAX(last_ts) AS last_exposure
  FROM (
    -- exp:exposure_units
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MAX(x."exp_variant") AS last_variant, MIN(x."ts") AS first_ts, MAX(x."ts") AS last_ts
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
  ) AS exposure_units
) AS t
GROUP BY variant
ORDER BY variant;
-- params: []
