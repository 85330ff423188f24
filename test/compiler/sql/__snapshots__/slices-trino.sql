-- exp:slices by country exp1: conv (mean), revenue (mean), ctr (ratio), revenue_cuped (cuped)
WITH
-- exp:first_exposure
unsliced_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = 'exp1' AND x."ts" < CAST('2026-12-20 00:00:00.000' AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_slice
first_exposure AS (
  SELECT f0.unit_id, f0.variant, f0.first_exposure, MIN(json_extract_scalar(x."attributes", '$.country')) AS slice
  FROM unsliced_exposure AS f0
  INNER JOIN "exposures" AS x ON x."unit_id" = f0.unit_id AND x."ts" = f0.first_exposure
  WHERE x."experiment" = 'exp1' AND x."ts" < CAST('2026-12-20 00:00:00.000' AS TIMESTAMP)
  GROUP BY f0.unit_id, f0.variant, f0.first_exposure
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    MAX(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure THEN 1 ELSE 0 END) AS m0_a0,
    SUM(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure THEN TRY_CAST(json_extract_scalar(e."properties", '$.revenue') AS DOUBLE) END) AS m1_a0,
    COUNT(CASE WHEN e."event" = 'click' AND (TRY_CAST(json_extract_scalar(e."properties", '$.position') AS DOUBLE) <= 5) AND e."ts" >= f.first_exposure THEN 1 END) AS m2_a0,
    COUNT(CASE WHEN e."event" = 'impression' AND e."ts" >= f.first_exposure THEN 1 END) AS m2_a1,
    SUM(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure THEN e."value" END) AS m3_a0,
    -- exp:cuped_pre_period
    SUM(CASE WHEN e."event" = 'purchase' AND e."ts" < f.first_exposure THEN e."value" END) AS m3_p0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" IN ('purchase', 'click', 'impression')
    AND e."ts" >= date_add('second', -1209600, f.first_exposure)
    AND e."ts" < date_add('second', 86400, f.first_exposure)
    AND e."ts" < CAST('2026-12-20 00:00:00.000' AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant, f.slice,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE) AS m0_y,
    CAST(COALESCE(u.m1_a0, 0) AS DOUBLE) AS m1_y,
    CAST(COALESCE(u.m2_a0, 0) AS DOUBLE) AS m2_num,
    CAST(COALESCE(u.m2_a1, 0) AS DOUBLE) AS m2_den,
    CAST(COALESCE(u.m3_a0, 0) AS DOUBLE) AS m3_y,
    CAST(COALESCE(u.m3_p0, 0) AS DOUBLE) AS m3_x
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:slice_stats
SELECT variant, slice, CAST(COUNT(*) AS DOUBLE) AS units,
  CAST(COUNT(m0_y) AS DOUBLE) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq,
  CAST(COUNT(m1_y) AS DOUBLE) AS m1_n,
  SUM(m1_y) AS m1_sum,
  SUM(m1_y * m1_y) AS m1_sum_sq,
  CAST(COUNT(*) AS DOUBLE) AS m2_n,
  SUM(m2_num) AS m2_sum_num,
  SUM(m2_den) AS m2_sum_den,
  SUM(m2_num * m2_num) AS m2_sum_num2,
  SUM(m2_den * m2_den) AS m2_sum_den2,
  SUM(m2_num * m2_den) AS m2_sum_num_den,
  CAST(COUNT(m3_y) AS DOUBLE) AS m3_n,
  SUM(m3_y) AS m3_sum_y,
  SUM(m3_y * m3_y) AS m3_sum_y2,
  SUM(m3_x) AS m3_sum_x,
  SUM(m3_x * m3_x) AS m3_sum_x2,
  SUM(m3_x * m3_y) AS m3_sum_xy,
  SUM(m0_y * m1_y) AS m0_m1_product
FROM unit_metrics
GROUP BY variant, slice
ORDER BY variant, slice;
-- params: []
