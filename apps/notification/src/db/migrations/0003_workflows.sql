CREATE TABLE "notifications"."order_confirmations" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"workflow_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "notifications"."workflow_steps" (
	"workflow_id" uuid NOT NULL,
	"step" integer NOT NULL,
	"stage" integer NOT NULL,
	"grouped" boolean NOT NULL,
	"type" text NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb,
	"status" text NOT NULL,
	"message_id" uuid,
	"result" jsonb,
	"error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_steps_workflow_id_step_pk" PRIMARY KEY("workflow_id","step")
);
--> statement-breakpoint
CREATE TABLE "notifications"."workflows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"stage" integer NOT NULL,
	"stages" integer NOT NULL,
	"remaining" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notifications"."workflow_steps" ADD CONSTRAINT "workflow_steps_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "notifications"."workflows"("id") ON DELETE cascade ON UPDATE no action;