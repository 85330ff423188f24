-- exp:exposure_summary exp1
WITH
-- exp:exposure_units
exposure_units AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MAX(x."variant") AS last_variant, MIN(x."ts") AS first_ts, MAX(x."ts") AS last_ts
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
)
SELECT CASE WHEN variant = last_variant THEN variant END AS variant, CAST(COUNT(*) AS DOUBLE PRECISION) AS units, MIN(first_ts) AS first_exposure, MAX(last_ts) AS last_exposure
FROM exposure_units
GROUP BY CASE WHEN variant = last_variant THEN variant END
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000"]

-- exp:metrics exp1: conv (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    1 AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase"]

-- exp:metrics exp1: revenue (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    SUM(CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION)) AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase"]

-- exp:metrics exp1: usd_revenue (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    SUM(CASE WHEN ((CAST(e."properties" AS jsonb) ->> 'currency') = $4::text) THEN CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION) END) AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase","USD"]

-- exp:metrics exp1: ctr (ratio)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    COUNT(CASE WHEN e."event" = $3::text AND (CAST((CAST(e."properties" AS jsonb) ->> 'position') AS DOUBLE PRECISION) <= 5) THEN 1 END) AS m0_a0,
    COUNT(CASE WHEN e."event" = $4::text THEN 1 END) AS m0_a1
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" IN ($3::text, $4::text)
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_num,
    CAST(COALESCE(u.m0_a1, 0) AS DOUBLE PRECISION) AS m0_den
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(*) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_num) AS m0_sum_num,
  SUM(m0_den) AS m0_sum_den,
  SUM(m0_num * m0_num) AS m0_sum_num2,
  SUM(m0_den * m0_den) AS m0_sum_den2,
  SUM(m0_num * m0_den) AS m0_sum_num_den
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","click","impression"]

-- exp:metrics exp1: ret (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    MAX(CASE WHEN (FLOOR(EXTRACT(EPOCH FROM (e."ts" - f.first_exposure)) / 86400) BETWEEN 7 AND 14) THEN 1 ELSE 0 END) AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '1296000 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","app_open"]

-- exp:metrics exp1: avg_rev (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    AVG(CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION)) AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(u.m0_a0 AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase"]

-- exp:quantile exp1: p50_latency (quantile)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:quantile_events
quantile_events AS (
  SELECT f.variant, f.unit_id, CAST((CAST(e."properties" AS jsonb) ->> 'latency_ms') AS DOUBLE PRECISION) AS v
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
),
-- exp:quantile
ranked AS (
  SELECT variant, v, ROW_NUMBER() OVER (PARTITION BY variant ORDER BY v) AS r, COUNT(*) OVER (PARTITION BY variant) AS n
  FROM quantile_events
  WHERE v IS NOT NULL
),
quantile_points AS (
  SELECT variant, MAX(n) AS n,
    MAX(CASE WHEN r = FLOOR((1 + (n - 1) * 0.5)) THEN v END) AS below,
    MAX(CASE WHEN r = LEAST(n, FLOOR((1 + (n - 1) * 0.5)) + 1) THEN v END) AS above,
    MAX((1 + (n - 1) * 0.5) - FLOOR((1 + (n - 1) * 0.5))) AS frac,
    MAX(CASE WHEN r = LEAST(n, GREATEST(1, CEIL(n * 0.5 - 1.959964 * SQRT(n * 0.5 * (1 - 0.5))))) THEN v END) AS lower_v,
    MAX(CASE WHEN r = LEAST(n, GREATEST(1, CEIL(n * 0.5 + 1.959964 * SQRT(n * 0.5 * (1 - 0.5))))) THEN v END) AS upper_v
  FROM ranked
  GROUP BY variant
),
quantile_values AS (
  SELECT variant, n, below + frac * (above - below) AS value, lower_v, upper_v
  FROM quantile_points
),
-- exp:quantile_clusters
unit_events AS (
  SELECT e.variant, e.unit_id, COUNT(*) AS events, SUM(CASE WHEN e.v <= q.value THEN 1 ELSE 0 END) AS at_or_below
  FROM quantile_events AS e
  JOIN quantile_values AS q ON q.variant = e.variant
  WHERE e.v IS NOT NULL
  GROUP BY e.variant, e.unit_id
),
quantile_clusters AS (
  SELECT variant, COUNT(*) AS units, SUM(CAST(at_or_below AS DOUBLE PRECISION)) AS sum_below,
    SUM(CAST(at_or_below AS DOUBLE PRECISION) * at_or_below) AS sum_below2, SUM(CAST(events AS DOUBLE PRECISION) * events) AS sum_events2,
    SUM(CAST(at_or_below AS DOUBLE PRECISION) * events) AS sum_below_events
  FROM unit_events
  GROUP BY variant
)
SELECT q.variant,
  CAST(q.n AS DOUBLE PRECISION) AS m0_n,
  CAST(q.value AS DOUBLE PRECISION) AS m0_value,
  q.lower_v AS m0_lower,
  q.upper_v AS m0_upper,
  CAST(c.units AS DOUBLE PRECISION) AS m0_units,
  c.sum_below AS m0_sum_below,
  c.sum_below2 AS m0_sum_below2,
  c.sum_events2 AS m0_sum_events2,
  c.sum_below_events AS m0_sum_below_events
FROM quantile_values AS q
JOIN quantile_clusters AS c ON c.variant = q.variant
ORDER BY q.variant;
-- params: ["exp1","2026-12-20 00:00:00.000","page_load"]

-- exp:metrics exp1: revenue_cuped (cuped)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    SUM(CASE WHEN e."ts" >= f.first_exposure THEN e."value" END) AS m0_a0,
    -- exp:cuped_pre_period
    SUM(CASE WHEN e."ts" < f.first_exposure THEN e."value" END) AS m0_p0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure - INTERVAL '1209600 seconds'
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y,
    CAST(COALESCE(u.m0_p0, 0) AS DOUBLE PRECISION) AS m0_x
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum_y,
  SUM(m0_y * m0_y) AS m0_sum_y2,
  SUM(m0_x) AS m0_sum_x,
  SUM(m0_x * m0_x) AS m0_sum_x2,
  SUM(m0_x * m0_y) AS m0_sum_xy
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase"]

-- exp:metrics exp1: early_loads (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    COUNT(CASE WHEN (FLOOR(EXTRACT(EPOCH FROM (e."ts" - f.first_exposure)) / 3600) <= 1) THEN 1 END) AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","page_load"]

-- exp:metrics exp1: max_rev (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    MAX(CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION)) AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(u.m0_a0 AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase"]

-- exp:metrics exp1: currencies (mean)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    COUNT(DISTINCT (CAST(e."properties" AS jsonb) ->> 'currency')) AS m0_a0
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" = $3::text
    AND e."ts" >= f.first_exposure
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase"]

-- exp:metrics exp1: ctr_cuped (ratio_cuped)
WITH
-- exp:first_exposure
first_exposure AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MIN(x."ts") AS first_exposure
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
  HAVING MIN(x."variant") = MAX(x."variant")
),
-- exp:unit_values
unit_values AS (
  SELECT f.unit_id,
    COUNT(CASE WHEN e."event" = $3::text AND (CAST((CAST(e."properties" AS jsonb) ->> 'position') AS DOUBLE PRECISION) <= 5) AND e."ts" >= f.first_exposure THEN 1 END) AS m0_a0,
    COUNT(CASE WHEN e."event" = $4::text AND e."ts" >= f.first_exposure THEN 1 END) AS m0_a1,
    -- exp:cuped_pre_period
    COUNT(CASE WHEN e."event" = $3::text AND (CAST((CAST(e."properties" AS jsonb) ->> 'position') AS DOUBLE PRECISION) <= 5) AND e."ts" < f.first_exposure THEN 1 END) AS m0_p0,
    COUNT(CASE WHEN e."event" = $4::text AND e."ts" < f.first_exposure THEN 1 END) AS m0_p1
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" IN ($3::text, $4::text)
    AND e."ts" >= f.first_exposure - INTERVAL '1209600 seconds'
    AND e."ts" < f.first_exposure + INTERVAL '86400 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_num,
    CAST(COALESCE(u.m0_a1, 0) AS DOUBLE PRECISION) AS m0_den,
    CAST(COALESCE(u.m0_p0, 0) AS DOUBLE PRECISION) AS m0_pnum,
    CAST(COALESCE(u.m0_p1, 0) AS DOUBLE PRECISION) AS m0_pden
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(*) AS DOUBLE PRECISION) AS m0_n,
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
FROM unit_metrics
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","click","impression"]

-- exp:metrics exp1: conv (mean), revenue (mean), usd_revenue (mean), ctr (ratio), ret (mean), avg_rev (mean), revenue_cuped (cuped), early_loads (mean), max_rev (mean), currencies (mean), ctr_cuped (ratio_cuped)
WITH
-- exp:exposure_units
exposure_units AS (
  SELECT x."unit_id" AS unit_id, MIN(x."variant") AS variant, MAX(x."variant") AS last_variant, MIN(x."ts") AS first_ts, MAX(x."ts") AS last_ts
  FROM "exposures" AS x
  WHERE x."experiment" = $1::text AND x."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY x."unit_id"
),
-- exp:exposure_summary
exposure_totals AS (
  SELECT CAST(COUNT(CASE WHEN variant <> last_variant THEN 1 END) AS DOUBLE PRECISION) AS multiple_exposures, MIN(first_ts) AS first_exposure, MAX(last_ts) AS last_exposure
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
    MAX(CASE WHEN e."event" = $3::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN 1 ELSE 0 END) AS m0_a0,
    SUM(CASE WHEN e."event" = $3::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION) END) AS m1_a0,
    SUM(CASE WHEN e."event" = $3::text AND ((CAST(e."properties" AS jsonb) ->> 'currency') = $4::text) AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION) END) AS m2_a0,
    COUNT(CASE WHEN e."event" = $5::text AND (CAST((CAST(e."properties" AS jsonb) ->> 'position') AS DOUBLE PRECISION) <= 5) AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN 1 END) AS m3_a0,
    COUNT(CASE WHEN e."event" = $6::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN 1 END) AS m3_a1,
    MAX(CASE WHEN e."event" = $7::text AND (FLOOR(EXTRACT(EPOCH FROM (e."ts" - f.first_exposure)) / 86400) BETWEEN 7 AND 14) AND e."ts" >= f.first_exposure THEN 1 ELSE 0 END) AS m4_a0,
    AVG(CASE WHEN e."event" = $3::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION) END) AS m5_a0,
    SUM(CASE WHEN e."event" = $3::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN e."value" END) AS m6_a0,
    COUNT(CASE WHEN e."event" = $8::text AND (FLOOR(EXTRACT(EPOCH FROM (e."ts" - f.first_exposure)) / 3600) <= 1) AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN 1 END) AS m7_a0,
    MAX(CASE WHEN e."event" = $3::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN CAST((CAST(e."properties" AS jsonb) ->> 'revenue') AS DOUBLE PRECISION) END) AS m8_a0,
    COUNT(DISTINCT CASE WHEN e."event" = $3::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN (CAST(e."properties" AS jsonb) ->> 'currency') END) AS m9_a0,
    COUNT(CASE WHEN e."event" = $5::text AND (CAST((CAST(e."properties" AS jsonb) ->> 'position') AS DOUBLE PRECISION) <= 5) AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN 1 END) AS m10_a0,
    COUNT(CASE WHEN e."event" = $6::text AND e."ts" >= f.first_exposure AND e."ts" < f.first_exposure + INTERVAL '86400 seconds' THEN 1 END) AS m10_a1,
    -- exp:cuped_pre_period
    SUM(CASE WHEN e."event" = $3::text AND e."ts" < f.first_exposure THEN e."value" END) AS m6_p0,
    COUNT(CASE WHEN e."event" = $5::text AND (CAST((CAST(e."properties" AS jsonb) ->> 'position') AS DOUBLE PRECISION) <= 5) AND e."ts" < f.first_exposure THEN 1 END) AS m10_p0,
    COUNT(CASE WHEN e."event" = $6::text AND e."ts" < f.first_exposure THEN 1 END) AS m10_p1
  FROM first_exposure AS f
  JOIN "events" AS e ON e."unit_id" = f.unit_id
  WHERE e."event" IN ($3::text, $5::text, $6::text, $7::text, $8::text)
    AND e."ts" >= f.first_exposure - INTERVAL '1209600 seconds'
    AND e."ts" < f.first_exposure + INTERVAL '1296000 seconds'
    AND e."ts" < CAST($2::text AS TIMESTAMP)
  GROUP BY f.unit_id
),
-- exp:unit_metrics
unit_metrics AS (
  SELECT f.variant,
    CAST(COALESCE(u.m0_a0, 0) AS DOUBLE PRECISION) AS m0_y,
    CAST(COALESCE(u.m1_a0, 0) AS DOUBLE PRECISION) AS m1_y,
    CAST(COALESCE(u.m2_a0, 0) AS DOUBLE PRECISION) AS m2_y,
    CAST(COALESCE(u.m3_a0, 0) AS DOUBLE PRECISION) AS m3_num,
    CAST(COALESCE(u.m3_a1, 0) AS DOUBLE PRECISION) AS m3_den,
    CAST(COALESCE(u.m4_a0, 0) AS DOUBLE PRECISION) AS m4_y,
    CAST(u.m5_a0 AS DOUBLE PRECISION) AS m5_y,
    CAST(COALESCE(u.m6_a0, 0) AS DOUBLE PRECISION) AS m6_y,
    CAST(COALESCE(u.m6_p0, 0) AS DOUBLE PRECISION) AS m6_x,
    CAST(COALESCE(u.m7_a0, 0) AS DOUBLE PRECISION) AS m7_y,
    CAST(u.m8_a0 AS DOUBLE PRECISION) AS m8_y,
    CAST(COALESCE(u.m9_a0, 0) AS DOUBLE PRECISION) AS m9_y,
    CAST(COALESCE(u.m10_a0, 0) AS DOUBLE PRECISION) AS m10_num,
    CAST(COALESCE(u.m10_a1, 0) AS DOUBLE PRECISION) AS m10_den,
    CAST(COALESCE(u.m10_p0, 0) AS DOUBLE PRECISION) AS m10_pnum,
    CAST(COALESCE(u.m10_p1, 0) AS DOUBLE PRECISION) AS m10_pden
  FROM first_exposure AS f
  LEFT JOIN unit_values AS u ON u.unit_id = f.unit_id
)
-- exp:sufficient_stats
SELECT variant,
  CAST(COUNT(m0_y) AS DOUBLE PRECISION) AS m0_n,
  SUM(m0_y) AS m0_sum,
  SUM(m0_y * m0_y) AS m0_sum_sq,
  CAST(COUNT(m1_y) AS DOUBLE PRECISION) AS m1_n,
  SUM(m1_y) AS m1_sum,
  SUM(m1_y * m1_y) AS m1_sum_sq,
  CAST(COUNT(m2_y) AS DOUBLE PRECISION) AS m2_n,
  SUM(m2_y) AS m2_sum,
  SUM(m2_y * m2_y) AS m2_sum_sq,
  CAST(COUNT(*) AS DOUBLE PRECISION) AS m3_n,
  SUM(m3_num) AS m3_sum_num,
  SUM(m3_den) AS m3_sum_den,
  SUM(m3_num * m3_num) AS m3_sum_num2,
  SUM(m3_den * m3_den) AS m3_sum_den2,
  SUM(m3_num * m3_den) AS m3_sum_num_den,
  CAST(COUNT(m4_y) AS DOUBLE PRECISION) AS m4_n,
  SUM(m4_y) AS m4_sum,
  SUM(m4_y * m4_y) AS m4_sum_sq,
  CAST(COUNT(m5_y) AS DOUBLE PRECISION) AS m5_n,
  SUM(m5_y) AS m5_sum,
  SUM(m5_y * m5_y) AS m5_sum_sq,
  CAST(COUNT(m6_y) AS DOUBLE PRECISION) AS m6_n,
  SUM(m6_y) AS m6_sum_y,
  SUM(m6_y * m6_y) AS m6_sum_y2,
  SUM(m6_x) AS m6_sum_x,
  SUM(m6_x * m6_x) AS m6_sum_x2,
  SUM(m6_x * m6_y) AS m6_sum_xy,
  CAST(COUNT(m7_y) AS DOUBLE PRECISION) AS m7_n,
  SUM(m7_y) AS m7_sum,
  SUM(m7_y * m7_y) AS m7_sum_sq,
  CAST(COUNT(m8_y) AS DOUBLE PRECISION) AS m8_n,
  SUM(m8_y) AS m8_sum,
  SUM(m8_y * m8_y) AS m8_sum_sq,
  CAST(COUNT(m9_y) AS DOUBLE PRECISION) AS m9_n,
  SUM(m9_y) AS m9_sum,
  SUM(m9_y * m9_y) AS m9_sum_sq,
  CAST(COUNT(*) AS DOUBLE PRECISION) AS m10_n,
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
  CAST(COUNT(*) AS DOUBLE PRECISION) AS units,
  MAX(t.multiple_exposures) AS multiple_exposures,
  MAX(t.first_exposure) AS first_exposure,
  MAX(t.last_exposure) AS last_exposure
FROM unit_metrics
CROSS JOIN exposure_totals AS t
GROUP BY variant
ORDER BY variant;
-- params: ["exp1","2026-12-20 00:00:00.000","purchase","USD","click","impression","app_open","page_load"]
