-- Idempotency keys are pruned by age (prune-idempotency-keys): the index keeps that from reading
-- the whole table every hour. IF NOT EXISTS, as every migration here.
CREATE INDEX IF NOT EXISTS "idempotency_keys_created_at_idx" ON "orders"."idempotency_keys" USING btree ("created_at");
