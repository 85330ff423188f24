-- exp:off_policy_sums ranker_offline
WITH
decisions AS (
  SELECT "unit_id" AS ope_unit, "request_id" AS ope_context, "item" AS ope_action,
    CAST("p_log" AS DOUBLE PRECISION) AS ope_mu, CAST("p_new" AS DOUBLE PRECISION) AS ope_pi, CASE CAST("clicked" AS TEXT) WHEN 'true' THEN 1 WHEN 'false' THEN 0 ELSE CAST(CAST("clicked" AS TEXT) AS DOUBLE PRECISION) END AS ope_r, CAST("q_logged" AS DOUBLE PRECISION) AS ope_q_logged, CAST("q_new" AS DOUBLE PRECISION) AS ope_q_target
  FROM "analytics"."decisions"
),
validated AS (
  SELECT *, CASE WHEN ope_r IS NOT NULL AND ope_mu > 0 AND ope_mu <= 1 AND ope_pi >= 0 AND ope_pi <= 1 AND ope_q_logged IS NOT NULL AND ope_q_target IS NOT NULL THEN 1 ELSE 0 END AS ope_valid
  FROM decisions
),
weighted AS (
  SELECT *, CASE WHEN ope_valid = 1 THEN ope_r END AS ope_rv, CASE WHEN ope_valid = 1 THEN ope_pi / ope_mu END AS ope_raw_w
  FROM validated
),
clipped AS (
  SELECT *, CASE WHEN ope_raw_w > 12.5 THEN CAST(12.5 AS DOUBLE PRECISION) ELSE ope_raw_w END AS ope_w
  FROM weighted
)
SELECT CAST(SUM(ope_valid) AS DOUBLE PRECISION) AS n,
  CAST(COUNT(*) - SUM(ope_valid) AS DOUBLE PRECISION) AS invalid,
  CAST(COUNT(DISTINCT CASE WHEN ope_valid = 1 THEN ope_unit END) AS DOUBLE PRECISION) AS units,
  CAST(COUNT(DISTINCT CASE WHEN ope_valid = 1 THEN ope_context END) AS DOUBLE PRECISION) AS contexts,
  CAST(COUNT(DISTINCT CASE WHEN ope_valid = 1 THEN ope_action END) AS DOUBLE PRECISION) AS actions,
  CAST(SUM(ope_rv) AS DOUBLE PRECISION) AS sum_r,
  CAST(SUM(ope_rv * ope_rv) AS DOUBLE PRECISION) AS sum_r2,
  CAST(SUM(ope_w) AS DOUBLE PRECISION) AS sum_w,
  CAST(SUM(ope_w * ope_w) AS DOUBLE PRECISION) AS sum_w2,
  CAST(SUM(ope_w * ope_rv) AS DOUBLE PRECISION) AS sum_wr,
  CAST(SUM(ope_w * ope_w * ope_rv) AS DOUBLE PRECISION) AS sum_w2r,
  CAST(SUM((ope_w * ope_rv) * (ope_w * ope_rv)) AS DOUBLE PRECISION) AS sum_w2r2,
  CAST(SUM(ope_w * ope_rv * ope_rv) AS DOUBLE PRECISION) AS sum_wr2,
  CAST(SUM(CASE WHEN ope_raw_w > 12.5 THEN 1 ELSE 0 END) AS DOUBLE PRECISION) AS clipped,
  CAST(MAX(ope_raw_w) AS DOUBLE PRECISION) AS max_weight,
  CAST(SUM(CASE WHEN ope_valid = 1 AND ope_mu < 0.01 THEN 1 ELSE 0 END) AS DOUBLE PRECISION) AS below_floor,
  CAST(SUM((ope_q_target + ope_w * (ope_rv - ope_q_logged))) AS DOUBLE PRECISION) AS sum_d,
  CAST(SUM((ope_q_target + ope_w * (ope_rv - ope_q_logged)) * (ope_q_target + ope_w * (ope_rv - ope_q_logged))) AS DOUBLE PRECISION) AS sum_d2,
  CAST(SUM((ope_q_target + ope_w * (ope_rv - ope_q_logged)) * ope_rv) AS DOUBLE PRECISION) AS sum_dr
FROM clipped;
