-- exp:off_policy_sums ranker_offline
SELECT toFloat64(SUM(ope_valid)) AS n,
  toFloat64(COUNT(*) - SUM(ope_valid)) AS invalid,
  toFloat64(COUNT(DISTINCT CASE WHEN ope_valid = 1 THEN ope_unit END)) AS units,
  toFloat64(COUNT(DISTINCT CASE WHEN ope_valid = 1 THEN ope_context END)) AS contexts,
  toFloat64(COUNT(DISTINCT CASE WHEN ope_valid = 1 THEN ope_action END)) AS actions,
  toFloat64(SUM(ope_rv)) AS sum_r,
  toFloat64(SUM(ope_rv * ope_rv)) AS sum_r2,
  toFloat64(SUM(ope_w)) AS sum_w,
  toFloat64(SUM(ope_w * ope_w)) AS sum_w2,
  toFloat64(SUM(ope_w * ope_rv)) AS sum_wr,
  toFloat64(SUM(ope_w * ope_w * ope_rv)) AS sum_w2r,
  toFloat64(SUM((ope_w * ope_rv) * (ope_w * ope_rv))) AS sum_w2r2,
  toFloat64(SUM(ope_w * ope_rv * ope_rv)) AS sum_wr2,
  toFloat64(SUM(CASE WHEN ope_raw_w > 12.5 THEN 1 ELSE 0 END)) AS clipped,
  toFloat64(MAX(ope_raw_w)) AS max_weight,
  toFloat64(SUM(CASE WHEN ope_valid = 1 AND ope_mu < 0.01 THEN 1 ELSE 0 END)) AS below_floor,
  toFloat64(SUM((ope_q_target + ope_w * (ope_rv - ope_q_logged)))) AS sum_d,
  toFloat64(SUM((ope_q_target + ope_w * (ope_rv - ope_q_logged)) * (ope_q_target + ope_w * (ope_rv - ope_q_logged)))) AS sum_d2,
  toFloat64(SUM((ope_q_target + ope_w * (ope_rv - ope_q_logged)) * ope_rv)) AS sum_dr
FROM (
  SELECT *, CASE WHEN ope_raw_w > 12.5 THEN toFloat64(12.5) ELSE ope_raw_w END AS ope_w
  FROM (
    SELECT *, CASE WHEN ope_valid = 1 THEN ope_r END AS ope_rv, CASE WHEN ope_valid = 1 THEN ope_pi / ope_mu END AS ope_raw_w
    FROM (
      SELECT *, CASE WHEN ope_r IS NOT NULL AND ope_mu > 0 AND ope_mu <= 1 AND ope_pi >= 0 AND ope_pi <= 1 AND ope_q_logged IS NOT NULL AND ope_q_target IS NOT NULL THEN 1 ELSE 0 END AS ope_valid
      FROM (
        SELECT "unit_id" AS ope_unit, "request_id" AS ope_context, "item" AS ope_action,
          toFloat64("p_log") AS ope_mu, toFloat64("p_new") AS ope_pi, toFloat64("clicked") AS ope_r, toFloat64("q_logged") AS ope_q_logged, toFloat64("q_new") AS ope_q_target
        FROM "analytics"."decisions"
      ) AS decisions
    ) AS validated
  ) AS weighted
) AS clipped;
