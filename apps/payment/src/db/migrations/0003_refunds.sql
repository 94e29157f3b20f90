-- A payment can be given back: REFUNDED, with when and the provider's reference. IF EXISTS / IF
-- NOT EXISTS keep it safe on a database that already has part of it; old rows stay valid.
ALTER TABLE "payments"."payments" DROP CONSTRAINT IF EXISTS "payments_status_check";--> statement-breakpoint
ALTER TABLE "payments"."payments" ADD COLUMN IF NOT EXISTS "refunded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments"."payments" ADD COLUMN IF NOT EXISTS "refund_reference" text;--> statement-breakpoint
ALTER TABLE "payments"."payments" ADD CONSTRAINT "payments_status_check" CHECK ("payments"."payments"."status" in ('SUCCEEDED', 'FAILED', 'REFUNDED'));
