-- exp:slices by country exp1: conv (mean), revenue (mean), ctr (ratio), revenue_cuped (cuped)
-- exp:slice_stats
SELECT variant, slice, toFloat64(COUNT(*)) AS units,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq,
  toFloat64(COUNT(m1_y)) AS m1_n,
  SUM(m1_y) AS m1_sum,
  SUM(m1_y * m1_y) AS m1_sum_sq,
  toFloat64(COUNT(*)) AS m2_n,
  SUM(m2_num) AS m2_sum_num,
  SUM(m2_den) AS m2_sum_den,
  SUM(m2_num * m2_num) AS m2_sum_num2,
  SUM(m2_den * m2_den) AS m2_sum_den2,
  SUM(m2_num * m2_den) AS m2_sum_num_den,
  toFloat64(COUNT(m3_y)) AS m3_n,
  SUM(m3_y) AS m3_sum_y,
  SUM(m3_y * m3_y) AS m3_sum_y2,
  SUM(m3_x) AS m3_sum_x,
  SUM(m3_x * m3_x) AS m3_sum_x2,
  SUM(m3_x * m3_y) AS m3_sum_xy,
  SUM(m0_y * m1_y) AS m0_m1_product
FROM (
  -- exp:unit_metrics
  SELECT f.variant, f.slice,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y,
    toFloat64(COALESCE(u.m1_a0, 0)) AS m1_y,
    toFloat64(COALESCE(u.m2_a0, 0)) AS m2_num,
    toFloat64(COALESCE(u.m2_a1, 0)) AS m2_den,
    toFloat64(COALESCE(u.m3_a0, 0)) AS m3_y,
    toFloat64(COALESCE(u.m3_p0, 0)) AS m3_x
  FROM (
    -- exp:unit_slice
    SELECT f0.unit_id, f0.variant, f0.first_exposure, MIN(multiIf(NOT visitParamHas(x."attributes", 'country') OR visitParamExtractRaw(x."attributes", 'country') = 'null', NULL, substring(visitParamExtractRaw(x."attributes", 'country'), 1, 1) = '"', visitParamExtractString(x."attributes", 'country'), visitParamExtractRaw(x."attributes", 'country'))) AS slice
    FROM (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f0
    INNER JOIN (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x ON x."exp_unit_id" = f0.unit_id AND x."ts" = f0.first_exposure
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY f0.unit_id, f0.variant, f0.first_exposure
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      MAX(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure THEN 1 ELSE 0 END) AS m0_a0,
      SUM(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m1_a0,
      COUNT(CASE WHEN e."event" = 'click' AND (toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'position') OR visitParamExtractRaw(e."properties", 'position') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'position'), 1, 1) = '"', visitParamExtractString(e."properties", 'position'), visitParamExtractRaw(e."properties", 'position')))) <= 5) AND e."ts" >= f.first_exposure THEN 1 END) AS m2_a0,
      COUNT(CASE WHEN e."event" = 'impression' AND e."ts" >= f.first_exposure THEN 1 END) AS m2_a1,
      SUM(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure THEN e."value" END) AS m3_a0,
      -- exp:cuped_pre_period
      SUM(CASE WHEN e."event" = 'purchase' AND e."ts" < f.first_exposure THEN e."value" END) AS m3_p0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:unit_slice
      SELECT f0.unit_id, f0.variant, f0.first_exposure, MIN(multiIf(NOT visitParamHas(x."attributes", 'country') OR visitParamExtractRaw(x."attributes", 'country') = 'null', NULL, substring(visitParamExtractRaw(x."attributes", 'country'), 1, 1) = '"', visitParamExtractString(x."attributes", 'country'), visitParamExtractRaw(x."attributes", 'country'))) AS slice
      FROM (
        -- exp:first_exposure
        SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
        FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
        WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
        GROUP BY x."exp_unit_id"
        HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
      ) AS f0
      INNER JOIN (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x ON x."exp_unit_id" = f0.unit_id AND x."ts" = f0.first_exposure
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY f0.unit_id, f0.variant, f0.first_exposure
    ) AS f USING unit_id
    WHERE e."event" IN ('purchase', 'click', 'impression')
      AND e."ts" >= addSeconds(f.first_exposure, -1209600)
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant, slice
ORDER BY variant, slice;
-- params: []
