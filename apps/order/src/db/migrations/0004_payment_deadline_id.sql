-- The order names its payment deadline (an outbox id), so a payment result can cancel it. Nullable,
-- IF NOT EXISTS: orders placed before keep their deadline, which then fires and changes nothing.
ALTER TABLE "orders"."orders" ADD COLUMN IF NOT EXISTS "payment_deadline_id" uuid;
