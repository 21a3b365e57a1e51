-- title: Tickets by status (Zendesk)
SELECT status, COUNT(*) AS tickets
FROM {zendesk.tickets}
WHERE is_deleted = 0
GROUP BY status
ORDER BY tickets DESC
