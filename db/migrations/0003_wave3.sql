CREATE TABLE "record_first_syncs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"status" "backfill_status" DEFAULT 'running' NOT NULL,
	"list" text DEFAULT 'customer_groups' NOT NULL,
	"next_page" integer DEFAULT 1 NOT NULL,
	"found" integer DEFAULT 0 NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
DROP INDEX "transfers_due_idx";--> statement-breakpoint
ALTER TABLE "record_first_syncs" ADD CONSTRAINT "record_first_syncs_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_first_syncs" ADD CONSTRAINT "record_first_syncs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "record_first_syncs_company_running_key" ON "record_first_syncs" USING btree ("company_id") WHERE "record_first_syncs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "record_first_syncs_company_created_idx" ON "record_first_syncs" USING btree ("company_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transfers_company_due_idx" ON "transfers" USING btree ("company_id","next_attempt_at") WHERE "transfers"."status" in ('queued', 'failed', 'processing') and "transfers"."next_attempt_at" is not null;--> statement-breakpoint
CREATE INDEX "transfers_company_processing_idx" ON "transfers" USING btree ("company_id") WHERE "transfers"."status" = 'processing';