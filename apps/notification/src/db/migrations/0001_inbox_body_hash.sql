-- IF NOT EXISTS: safe on a database where the column is already there (added by hand, or a
-- migration table restored from elsewhere); the column is nullable, so old rows stay valid.
ALTER TABLE "notifications"."inbox" ADD COLUMN IF NOT EXISTS "body_hash" text;
