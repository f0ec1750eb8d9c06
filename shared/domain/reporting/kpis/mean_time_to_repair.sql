-- Mean time to repair (requirements 003 §14.2): seconds from fallout detected (the order held) to
-- recovered (the order leaves held for fulfillment again or completes), over recoveries in the period.
WITH bounds AS (
  SELECT p.from_date, p.to_date, CAST(p.from_date - INTERVAL '366' DAY AS DATE) AS lookback_date
  FROM (SELECT CAST(? AS DATE) AS from_date, CAST(? AS DATE) AS to_date) p
),
recovered AS (
  SELECT o.order_id, o.occurred_epoch_seconds AS recovered_s FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'STATE_CHANGED' AND o.from_state = 'held'
    AND o.to_state IN ('inProgress', 'completed', 'acknowledged')
    AND CAST(o.dt AS DATE) BETWEEN b.from_date AND b.to_date
),
detected AS (
  SELECT o.order_id, o.occurred_epoch_seconds AS detected_s FROM fact_order_lifecycle o CROSS JOIN bounds b
  WHERE o.milestone = 'STATE_CHANGED' AND o.to_state = 'held' AND CAST(o.dt AS DATE) >= b.lookback_date
),
repairs AS (
  SELECT r.order_id, r.recovered_s, MAX(d.detected_s) AS detected_s
  FROM recovered r JOIN detected d ON d.order_id = r.order_id AND d.detected_s <= r.recovered_s
  GROUP BY r.order_id, r.recovered_s
)
SELECT
  COUNT(*) AS recoveries,
  AVG(CAST(recovered_s - detected_s AS DOUBLE)) AS value,
  MAX(recovered_s - detected_s) AS max_seconds
FROM repairs
