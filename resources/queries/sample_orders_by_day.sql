-- title: Orders and revenue by day (Sample Store)
SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS orders, ROUND(SUM(total), 2) AS revenue
FROM {sample.orders}
WHERE is_deleted = 0
GROUP BY day
ORDER BY day DESC
