-- IF NOT EXISTS: safe on a database that already has them; deliver_at is nullable (null: publish
-- at once), so rows written before stay valid.
ALTER TABLE "orders"."outbox" ADD COLUMN IF NOT EXISTS "deliver_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "outbox_due_idx" ON "orders"."outbox" USING btree ("next_attempt_at") WHERE sent_at is null;