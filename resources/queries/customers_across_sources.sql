-- title: Customers across Stripe and Zendesk, by email
-- Who pays you (Stripe) and who asks for help (Zendesk), joined on the email address.
SELECT lower(s.email) AS email, s.name AS stripe_name, z.name AS zendesk_name, z.id AS zendesk_user_id
FROM {stripe.customers} AS s
JOIN {zendesk.users} AS z ON lower(z.email) = lower(s.email)
WHERE s.is_deleted = 0 AND z.is_deleted = 0
ORDER BY email
