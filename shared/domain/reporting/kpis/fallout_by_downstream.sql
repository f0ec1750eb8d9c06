-- Order fallout rate by downstream system (requirements 003 §7): failed task outcomes over all task
-- outcomes, per downstream system, with the mean task duration.
WITH bounds AS (
  SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date
)
SELECT
  f.downstream_system,
  COUNT(*) AS task_outcomes,
  SUM(CASE WHEN f.outcome = 'FAILED' THEN 1 ELSE 0 END) AS failed,
  CAST(SUM(CASE WHEN f.outcome = 'FAILED' THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS fallout_rate,
  AVG(f.duration_seconds) AS avg_duration_seconds,
  SUM(f.retry_count) AS retries
FROM fact_order_fulfillment_task f
CROSS JOIN bounds b
WHERE CAST(f.dt AS DATE) BETWEEN b.from_date AND b.to_date
GROUP BY f.downstream_system
ORDER BY f.downstream_system
