-- title: Pipeline by stage (Salesforce)
SELECT stage_name, COUNT(*) AS opportunities, SUM(amount) AS amount
FROM {salesforce.opportunities}
WHERE is_deleted = 0 AND is_closed = 0
GROUP BY stage_name
ORDER BY amount DESC
