-- Approval rate (requirements 003 §14.1): accepted quotes whose approval needed an approver decision,
-- over all quotes accepted in the period (auto-approved ones have approval_basis AUTO).
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
),
accepted AS (
  SELECT DISTINCT f.quote_id, f.approval_basis
  FROM fact_quote_line_price f
  CROSS JOIN bounds b
  WHERE f.fact_kind = 'ACCEPTED'
    AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS accepted_quotes,
  SUM(CASE WHEN approval_basis = 'DECISION' THEN 1 ELSE 0 END) AS approved_by_decision,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN approval_basis = 'DECISION' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) END AS value
FROM accepted
