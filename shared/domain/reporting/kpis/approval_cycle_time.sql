-- Approval cycle time (requirements 003 §14.1): seconds from an approval request (submitted for
-- approval) to its decision (approved or rejected), over decisions made in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
decided AS (
  SELECT f.request_id, f.decision, MIN(f.occurred_epoch_seconds) AS decided_s
  FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone = 'APPROVAL_DECIDED' AND CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
  GROUP BY f.request_id, f.decision
),
requested AS (
  SELECT f.request_id, MIN(f.occurred_epoch_seconds) AS requested_s
  FROM fact_quote_lifecycle f CROSS JOIN bounds b
  WHERE f.milestone = 'APPROVAL_REQUESTED' AND CAST(f.dt AS DATE) >= b.lookback_date
  GROUP BY f.request_id
)
SELECT
  COUNT(*) AS decisions,
  SUM(CASE WHEN d.decision = 'APPROVE' THEN 1 ELSE 0 END) AS approved,
  SUM(CASE WHEN d.decision = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
  AVG(CAST(d.decided_s - r.requested_s AS DOUBLE)) AS value,
  MAX(d.decided_s - r.requested_s) AS max_seconds
FROM decided d JOIN requested r ON r.request_id = d.request_id
