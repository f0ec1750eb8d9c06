-- Policy override count (requirements 003 §14.3): manual overrides in the period by policy type —
-- approver decisions granting what deal policy would not (by the request's reason codes) and
-- operator repairs of fulfillment (by repair action).
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
approvals AS (
  SELECT 'DEAL_POLICY:' || COALESCE(q.reason_codes, 'UNKNOWN') AS policy_type
  FROM fact_quote_lifecycle d CROSS JOIN bounds b
  LEFT JOIN (
    SELECT DISTINCT r.request_id, r.reason_codes FROM fact_quote_lifecycle r CROSS JOIN bounds b2
    WHERE r.milestone = 'APPROVAL_REQUESTED' AND CAST(r.dt AS DATE) >= b2.lookback_date
  ) q ON q.request_id = d.request_id
  WHERE d.milestone = 'APPROVAL_DECIDED' AND d.decision = 'APPROVE'
    AND CAST(d.dt AS DATE) BETWEEN b.from_date AND b.to_date
),
repairs AS (
  SELECT 'FULFILLMENT_REPAIR:' || COALESCE(o.repair_action, 'UNKNOWN') AS policy_type
  FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'REPAIRED' AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT policy_type, COUNT(*) AS overrides
FROM (SELECT policy_type FROM approvals UNION ALL SELECT policy_type FROM repairs) o
GROUP BY policy_type
ORDER BY policy_type
