-- Stale approval rate (requirements 003 §14.1): approvals invalidated by a later change over quotes
-- approved (by an approver or automatically on submission) in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
approved AS (
  SELECT DISTINCT f.quote_id FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
    AND ((f.milestone = 'APPROVAL_DECIDED' AND f.decision = 'APPROVE')
      OR (f.milestone = 'SUBMITTED' AND f.to_state = 'approved'))
),
invalidated AS (
  SELECT f.quote_id, f.quote_version FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone = 'APPROVAL_INVALIDATED' AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY f.quote_id, f.quote_version
)
SELECT
  (SELECT COUNT(*) FROM approved) AS approved_quotes,
  (SELECT COUNT(*) FROM invalidated) AS invalidated_approvals,
  CASE WHEN (SELECT COUNT(*) FROM approved) = 0 THEN NULL
       ELSE CAST((SELECT COUNT(*) FROM invalidated) AS DOUBLE) / (SELECT COUNT(*) FROM approved) END AS value
