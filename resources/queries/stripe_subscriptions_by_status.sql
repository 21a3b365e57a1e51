-- title: Subscriptions by status (Stripe)
SELECT status, COUNT(*) AS subscriptions
FROM {stripe.subscriptions}
GROUP BY status
ORDER BY subscriptions DESC
