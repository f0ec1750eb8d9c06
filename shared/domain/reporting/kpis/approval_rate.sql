-- Approval rate (requirements 003 §14.1): quotes whose submission needed an approver (an approval
-- request) over quotes submitted in the period (auto-approved submissions need none).
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
submitted AS (
  SELECT DISTINCT f.quote_id FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone = 'SUBMITTED' AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
),
requiring AS (
  SELECT DISTINCT f.quote_id FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone = 'APPROVAL_REQUESTED' AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS submitted_quotes,
  SUM(CASE WHEN r.quote_id IS NULL THEN 0 ELSE 1 END) AS requiring_approval,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN r.quote_id IS NULL THEN 0 ELSE 1 END) AS DOUBLE) / COUNT(*) END AS value
FROM submitted s LEFT JOIN requiring r ON r.quote_id = s.quote_id
