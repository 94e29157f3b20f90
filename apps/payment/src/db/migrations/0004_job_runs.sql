-- Periodic jobs: one row per job and tick, the lease that lets one replica run it and the record
-- of how it ran. IF NOT EXISTS: safe on a database that already has it.
CREATE TABLE IF NOT EXISTS "payments"."job_runs" (
	"job" text NOT NULL,
	"tick" timestamp with time zone NOT NULL,
	"runner" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text DEFAULT 'running' NOT NULL,
	"error" text,
	CONSTRAINT "job_runs_job_tick_pk" PRIMARY KEY("job","tick"),
	CONSTRAINT "job_runs_outcome_check" CHECK ("payments"."job_runs"."outcome" in ('running', 'succeeded', 'failed'))
);
