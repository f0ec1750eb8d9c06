-- Cancellation conflict rate (requirements 003 §14.2): cancellations refused at the point of no
-- return (an in-flight or finished side effect that cannot be undone) over cancellation requests
-- (accepted cancellations plus those refusals) in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
attempts AS (
  SELECT DISTINCT 'ACCEPTED' AS result, o.cancellation_id AS id FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'CANCELLATION' AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
  UNION ALL
  SELECT 'REFUSED', r.event_id FROM fact_command_refusal r CROSS JOIN bounds b
  WHERE r.operation = 'order-cancel' AND r.code = 'POINT_OF_NO_RETURN'
    AND CAST(r.dt AS DATE) BETWEEN b.from_date AND b.to_date
)
SELECT
  COUNT(*) AS cancellation_requests,
  SUM(CASE WHEN result = 'REFUSED' THEN 1 ELSE 0 END) AS refused_at_point_of_no_return,
  CASE WHEN COUNT(*) = 0 THEN NULL
       ELSE CAST(SUM(CASE WHEN result = 'REFUSED' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) END AS value
FROM attempts
