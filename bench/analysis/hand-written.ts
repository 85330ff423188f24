/**
 * What an analyst would write by hand in DuckDB for the benchmark's three metrics: one pass over
 * the events, per-unit sums, then per-variant sums of values and squares.
 */
export const HAND_WRITTEN_SQL = `
WITH fe AS (
  SELECT unit_id, min(variant) AS variant, min(ts) AS t0
  FROM exposures WHERE experiment = 'bench'
  GROUP BY unit_id HAVING count(DISTINCT variant) = 1
),
per_unit AS (
  SELECT e.unit_id,
    max(CASE WHEN e.event = 'purchase' THEN 1 ELSE 0 END) AS conv,
    sum(CASE WHEN e.event = 'purchase' THEN CAST(json_extract_string(e.properties, '$.revenue') AS DOUBLE) END) AS revenue,
    count(*) FILTER (WHERE e.event = 'click' AND CAST(json_extract_string(e.properties, '$.position') AS DOUBLE) <= 5) AS clicks,
    count(*) FILTER (WHERE e.event = 'impression') AS imps
  FROM events e JOIN fe ON e.unit_id = fe.unit_id
  WHERE e.event IN ('purchase', 'click', 'impression') AND e.ts >= fe.t0 AND e.ts < fe.t0 + INTERVAL 14 DAY
  GROUP BY e.unit_id
),
unit AS (
  SELECT fe.variant, coalesce(conv, 0)::DOUBLE AS conv, coalesce(revenue, 0)::DOUBLE AS revenue,
         coalesce(clicks, 0)::DOUBLE AS clicks, coalesce(imps, 0)::DOUBLE AS imps
  FROM fe LEFT JOIN per_unit p ON p.unit_id = fe.unit_id
)
SELECT variant, count(*)::DOUBLE AS n,
  sum(conv) AS conv_sum, sum(conv * conv) AS conv_sum_sq,
  sum(revenue) AS revenue_sum, sum(revenue * revenue) AS revenue_sum_sq,
  sum(clicks) AS clicks_sum, sum(imps) AS imps_sum, sum(clicks * clicks) AS clicks_sum2, sum(imps * imps) AS imps_sum2, sum(clicks * imps) AS clicks_imps
FROM unit GROUP BY variant ORDER BY variant`;
