-- exp:exposure_summary exp1
SELECT CASE WHEN variant = last_variant THEN variant END AS variant, toFloat64(COUNT(*)) AS units, MIN(first_ts) AS first_exposure, MAX(last_ts) AS last_exposure
FROM (
  -- exp:exposure_units
  SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MAX(x."exp_variant") AS last_variant, MIN(x."ts") AS first_ts, MAX(x."ts") AS last_ts
  FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
  WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
  GROUP BY x."exp_unit_id"
) AS exposure_units
GROUP BY CASE WHEN variant = last_variant THEN variant END
ORDER BY variant;
-- params: []

-- exp:metrics exp1: conv (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      1 AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'purchase'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: revenue (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      SUM(toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue'))))) AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'purchase'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: usd_revenue (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      SUM(CASE WHEN (multiIf(NOT visitParamHas(e."properties", 'currency') OR visitParamExtractRaw(e."properties", 'currency') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'currency'), 1, 1) = '"', visitParamExtractString(e."properties", 'currency'), visitParamExtractRaw(e."properties", 'currency')) = 'USD') THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'purchase'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: ctr (ratio)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(*)) AS m0_n,
  SUM(m0_num) AS m0_sum_num,
  SUM(m0_den) AS m0_sum_den,
  SUM(m0_num * m0_num) AS m0_sum_num2,
  SUM(m0_den * m0_den) AS m0_sum_den2,
  SUM(m0_num * m0_den) AS m0_sum_num_den
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_num,
    toFloat64(COALESCE(u.m0_a1, 0)) AS m0_den
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      COUNT(CASE WHEN e."event" = 'click' AND (toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'position') OR visitParamExtractRaw(e."properties", 'position') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'position'), 1, 1) = '"', visitParamExtractString(e."properties", 'position'), visitParamExtractRaw(e."properties", 'position')))) <= 5) THEN 1 END) AS m0_a0,
      COUNT(CASE WHEN e."event" = 'impression' THEN 1 END) AS m0_a1
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" IN ('click', 'impression')
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: ret (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      MAX(CASE WHEN (FLOOR((toFloat64(toUInt32(e."ts")) - toFloat64(toUInt32(f.first_exposure))) / 86400) BETWEEN 7 AND 14) THEN 1 ELSE 0 END) AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'app_open'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 1296000)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: avg_rev (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(u.m0_a0) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      AVG(toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue'))))) AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'purchase'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: revenue_cuped (cuped)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum_y,
  SUM(m0_y * m0_y) AS m0_sum_y2,
  SUM(m0_x) AS m0_sum_x,
  SUM(m0_x * m0_x) AS m0_sum_x2,
  SUM(m0_x * m0_y) AS m0_sum_xy
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y,
    toFloat64(COALESCE(u.m0_p0, 0)) AS m0_x
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      SUM(CASE WHEN e."ts" >= f.first_exposure THEN e."value" END) AS m0_a0,
      -- exp:cuped_pre_period
      SUM(CASE WHEN e."ts" < f.first_exposure THEN e."value" END) AS m0_p0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'purchase'
      AND e."ts" >= addSeconds(f.first_exposure, -1209600)
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: early_loads (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      COUNT(CASE WHEN (FLOOR((toFloat64(toUInt32(e."ts")) - toFloat64(toUInt32(f.first_exposure))) / 3600) <= 1) THEN 1 END) AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'page_load'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: max_rev (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(u.m0_a0) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      MAX(toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue'))))) AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'purchase'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: currencies (mean)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      COUNT(DISTINCT multiIf(NOT visitParamHas(e."properties", 'currency') OR visitParamExtractRaw(e."properties", 'currency') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'currency'), 1, 1) = '"', visitParamExtractString(e."properties", 'currency'), visitParamExtractRaw(e."properties", 'currency'))) AS m0_a0
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" = 'purchase'
      AND e."ts" >= f.first_exposure
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: ctr_cuped (ratio_cuped)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(*)) AS m0_n,
  SUM(m0_num) AS m0_sum_num,
  SUM(m0_den) AS m0_sum_den,
  SUM(m0_num * m0_num) AS m0_sum_num2,
  SUM(m0_den * m0_den) AS m0_sum_den2,
  SUM(m0_num * m0_den) AS m0_sum_num_den,
  SUM(m0_pnum) AS m0_sum_pnum,
  SUM(m0_pden) AS m0_sum_pden,
  SUM(m0_pnum * m0_pnum) AS m0_sum_pnum2,
  SUM(m0_pden * m0_pden) AS m0_sum_pden2,
  SUM(m0_pnum * m0_pden) AS m0_sum_pnum_pden,
  SUM(m0_num * m0_pnum) AS m0_sum_num_pnum,
  SUM(m0_num * m0_pden) AS m0_sum_num_pden,
  SUM(m0_den * m0_pnum) AS m0_sum_den_pnum,
  SUM(m0_den * m0_pden) AS m0_sum_den_pden
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_num,
    toFloat64(COALESCE(u.m0_a1, 0)) AS m0_den,
    toFloat64(COALESCE(u.m0_p0, 0)) AS m0_pnum,
    toFloat64(COALESCE(u.m0_p1, 0)) AS m0_pden
  FROM (
    -- exp:first_exposure
    SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
    FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
    WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY x."exp_unit_id"
    HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
  ) AS f
  LEFT JOIN (
    -- exp:unit_values
    SELECT e."unit_id" AS unit_id,
      COUNT(CASE WHEN e."event" = 'click' AND (toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'position') OR visitParamExtractRaw(e."properties", 'position') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'position'), 1, 1) = '"', visitParamExtractString(e."properties", 'position'), visitParamExtractRaw(e."properties", 'position')))) <= 5) AND e."ts" >= f.first_exposure THEN 1 END) AS m0_a0,
      COUNT(CASE WHEN e."event" = 'impression' AND e."ts" >= f.first_exposure THEN 1 END) AS m0_a1,
      -- exp:cuped_pre_period
      COUNT(CASE WHEN e."event" = 'click' AND (toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'position') OR visitParamExtractRaw(e."properties", 'position') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'position'), 1, 1) = '"', visitParamExtractString(e."properties", 'position'), visitParamExtractRaw(e."properties", 'position')))) <= 5) AND e."ts" < f.first_exposure THEN 1 END) AS m0_p0,
      COUNT(CASE WHEN e."event" = 'impression' AND e."ts" < f.first_exposure THEN 1 END) AS m0_p1
    FROM "events" AS e
    GLOBAL ALL INNER JOIN (
      -- exp:first_exposure
      SELECT x."exp_unit_id" AS unit_id, MIN(x."exp_variant") AS variant, MIN(x."ts") AS first_exposure
      FROM (SELECT r.*, r."unit_id" AS "exp_unit_id", r."variant" AS "exp_variant" FROM "exposures" AS r) AS x
      WHERE x."experiment" = 'exp1' AND x."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
      GROUP BY x."exp_unit_id"
      HAVING MIN(x."exp_variant") = MAX(x."exp_variant")
    ) AS f USING unit_id
    WHERE e."event" IN ('click', 'impression')
      AND e."ts" >= addSeconds(f.first_exposure, -1209600)
      AND e."ts" < addSeconds(f.first_exposure, 86400)
      AND e."ts" < toDateTime(substring('2026-12-20 00:00:00.000', 1, 19), 'UTC')
    GROUP BY e."unit_id"
  ) AS u ON u.unit_id = f.unit_id
) AS unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: []

-- exp:metrics exp1: conv (mean), revenue (mean), usd_revenue (mean), ctr (ratio), ret (mean), avg_rev (mean), revenue_cuped (cuped), early_loads (mean), max_rev (mean), currencies (mean), ctr_cuped (ratio_cuped)
-- exp:sufficient_stats
SELECT variant,
  toFloat64(COUNT(m0_y)) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq,
  toFloat64(COUNT(m1_y)) AS m1_n,
  SUM(m1_y) AS m1_sum,
  SUM(m1_y * m1_y) AS m1_sum_sq,
  toFloat64(COUNT(m2_y)) AS m2_n,
  SUM(m2_y) AS m2_sum,
  SUM(m2_y * m2_y) AS m2_sum_sq,
  toFloat64(COUNT(*)) AS m3_n,
  SUM(m3_num) AS m3_sum_num,
  SUM(m3_den) AS m3_sum_den,
  SUM(m3_num * m3_num) AS m3_sum_num2,
  SUM(m3_den * m3_den) AS m3_sum_den2,
  SUM(m3_num * m3_den) AS m3_sum_num_den,
  toFloat64(COUNT(m4_y)) AS m4_n,
  SUM(m4_y) AS m4_sum,
  SUM(m4_y * m4_y) AS m4_sum_sq,
  toFloat64(COUNT(m5_y)) AS m5_n,
  SUM(m5_y) AS m5_sum,
  SUM(m5_y * m5_y) AS m5_sum_sq,
  toFloat64(COUNT(m6_y)) AS m6_n,
  SUM(m6_y) AS m6_sum_y,
  SUM(m6_y * m6_y) AS m6_sum_y2,
  SUM(m6_x) AS m6_sum_x,
  SUM(m6_x * m6_x) AS m6_sum_x2,
  SUM(m6_x * m6_y) AS m6_sum_xy,
  toFloat64(COUNT(m7_y)) AS m7_n,
  SUM(m7_y) AS m7_sum,
  SUM(m7_y * m7_y) AS m7_sum_sq,
  toFloat64(COUNT(m8_y)) AS m8_n,
  SUM(m8_y) AS m8_sum,
  SUM(m8_y * m8_y) AS m8_sum_sq,
  toFloat64(COUNT(m9_y)) AS m9_n,
  SUM(m9_y) AS m9_sum,
  SUM(m9_y * m9_y) AS m9_sum_sq,
  toFloat64(COUNT(*)) AS m10_n,
  SUM(m10_num) AS m10_sum_num,
  SUM(m10_den) AS m10_sum_den,
  SUM(m10_num * m10_num) AS m10_sum_num2,
  SUM(m10_den * m10_den) AS m10_sum_den2,
  SUM(m10_num * m10_den) AS m10_sum_num_den,
  SUM(m10_pnum) AS m10_sum_pnum,
  SUM(m10_pden) AS m10_sum_pden,
  SUM(m10_pnum * m10_pnum) AS m10_sum_pnum2,
  SUM(m10_pden * m10_pden) AS m10_sum_pden2,
  SUM(m10_pnum * m10_pden) AS m10_sum_pnum_pden,
  SUM(m10_num * m10_pnum) AS m10_sum_num_pnum,
  SUM(m10_num * m10_pden) AS m10_sum_num_pden,
  SUM(m10_den * m10_pnum) AS m10_sum_den_pnum,
  SUM(m10_den * m10_pden) AS m10_sum_den_pden,
  toFloat64(COUNT(*)) AS units,
  MAX(t.multiple_exposures) AS multiple_exposures,
  MAX(t.first_exposure) AS first_exposure,
  MAX(t.last_exposure) AS last_exposure
FROM (
  -- exp:unit_metrics
  SELECT f.variant,
    toFloat64(COALESCE(u.m0_a0, 0)) AS m0_y,
    toFloat64(COALESCE(u.m1_a0, 0)) AS m1_y,
    toFloat64(COALESCE(u.m2_a0, 0)) AS m2_y,
    toFloat64(COALESCE(u.m3_a0, 0)) AS m3_num,
    toFloat64(COALESCE(u.m3_a1, 0)) AS m3_den,
    toFloat64(COALESCE(u.m4_a0, 0)) AS m4_y,
    toFloat64(u.m5_a0) AS m5_y,
    toFloat64(COALESCE(u.m6_a0, 0)) AS m6_y,
    toFloat64(COALESCE(u.m6_p0, 0)) AS m6_x,
    toFloat64(COALESCE(u.m7_a0, 0)) AS m7_y,
    toFloat64(u.m8_a0) AS m8_y,
    toFloat64(COALESCE(u.m9_a0, 0)) AS m9_y,
    toFloat64(COALESCE(u.m10_a0, 0)) AS m10_num,
    toFloat64(COALESCE(u.m10_a1, 0)) AS m10_den,
    toFloat64(COALESCE(u.m10_p0, 0)) AS m10_pnum,
    toFloat64(COALESCE(u.m10_p1, 0)) AS m10_pden
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
      MAX(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN 1 ELSE 0 END) AS m0_a0,
      SUM(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m1_a0,
      SUM(CASE WHEN e."event" = 'purchase' AND (multiIf(NOT visitParamHas(e."properties", 'currency') OR visitParamExtractRaw(e."properties", 'currency') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'currency'), 1, 1) = '"', visitParamExtractString(e."properties", 'currency'), visitParamExtractRaw(e."properties", 'currency')) = 'USD') AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m2_a0,
      COUNT(CASE WHEN e."event" = 'click' AND (toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'position') OR visitParamExtractRaw(e."properties", 'position') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'position'), 1, 1) = '"', visitParamExtractString(e."properties", 'position'), visitParamExtractRaw(e."properties", 'position')))) <= 5) AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN 1 END) AS m3_a0,
      COUNT(CASE WHEN e."event" = 'impression' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN 1 END) AS m3_a1,
      MAX(CASE WHEN e."event" = 'app_open' AND (FLOOR((toFloat64(toUInt32(e."ts")) - toFloat64(toUInt32(f.first_exposure))) / 86400) BETWEEN 7 AND 14) AND e."ts" >= f.first_exposure THEN 1 ELSE 0 END) AS m4_a0,
      AVG(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m5_a0,
      SUM(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN e."value" END) AS m6_a0,
      COUNT(CASE WHEN e."event" = 'page_load' AND (FLOOR((toFloat64(toUInt32(e."ts")) - toFloat64(toUInt32(f.first_exposure))) / 3600) <= 1) AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN 1 END) AS m7_a0,
      MAX(CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'revenue') OR visitParamExtractRaw(e."properties", 'revenue') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'revenue'), 1, 1) = '"', visitParamExtractString(e."properties", 'revenue'), visitParamExtractRaw(e."properties", 'revenue')))) END) AS m8_a0,
      COUNT(DISTINCT CASE WHEN e."event" = 'purchase' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN multiIf(NOT visitParamHas(e."properties", 'currency') OR visitParamExtractRaw(e."properties", 'currency') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'currency'), 1, 1) = '"', visitParamExtractString(e."properties", 'currency'), visitParamExtractRaw(e."properties", 'currency')) END) AS m9_a0,
      COUNT(CASE WHEN e."event" = 'click' AND (toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'position') OR visitParamExtractRaw(e."properties", 'position') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'position'), 1, 1) = '"', visitParamExtractString(e."properties", 'position'), visitParamExtractRaw(e."properties", 'position')))) <= 5) AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN 1 END) AS m10_a0,
      COUNT(CASE WHEN e."event" = 'impression' AND e."ts" >= f.first_exposure AND e."ts" < addSeconds(f.first_exposure, 86400) THEN 1 END) AS m10_a1,
      -- exp:cuped_pre_period
      SUM(CASE WHEN e."event" = 'purchase' AND e."ts" < f.first_exposure THEN e."value" END) AS m6_p0,
      COUNT(CASE WHEN e."event" = 'click' AND (toFloat64OrNull(toString(multiIf(NOT visitParamHas(e."properties", 'position') OR visitParamExtractRaw(e."properties", 'position') = 'null', NULL, substring(visitParamExtractRaw(e."properties", 'position'), 1, 1) = '"', visitParamExtractString(e."properties", 'position'), visitParamExtractRaw(e."properties", 'position')))) <= 5) AND e."ts" < f.first_exposure THEN 1 END) AS m10_p0,
      COUNT(CASE WHEN e."event" = 'impression' AND e."ts" < f.first_exposure THEN 1 END) AS m10_p1
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
    WHERE e."event" IN ('purchase', 'click', 'impression', 'app_open', 'page_load')
      AND e."ts" >= addSeconds(f.first_exposure, -1209600)
      AND e."ts" < addSeconds(f.first_exposure, 1296000)
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
