-- The daily-summary periodic job's summaries, one per day. IF NOT EXISTS: safe on a database that
-- already has it.
CREATE TABLE IF NOT EXISTS "notifications"."daily_summaries" (
	"day" date PRIMARY KEY NOT NULL,
	"counts" jsonb NOT NULL,
	"failed" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
