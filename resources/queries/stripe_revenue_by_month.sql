-- title: Revenue by month (Stripe)
-- Succeeded charges less refunds, per calendar month, in each currency (amounts in major units).
SELECT substr(datetime(created, 'unixepoch'), 1, 7) AS month,
       currency,
       ROUND(SUM(amount - amount_refunded) / 100.0, 2) AS net_revenue,
       COUNT(*) AS charges
FROM {stripe.charges}
WHERE status = 'succeeded' AND is_deleted = 0
GROUP BY month, currency
ORDER BY month DESC, currency
