CREATE TYPE "public"."backfill_status" AS ENUM('running', 'done', 'cancelled', 'failed');--> statement-breakpoint
CREATE TABLE "backfills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"since" date NOT NULL,
	"status" "backfill_status" DEFAULT 'running' NOT NULL,
	"next_page" integer DEFAULT 1 NOT NULL,
	"found" integer DEFAULT 0 NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	"expected" integer DEFAULT 0 NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "economic_draft_claims" (
	"company_id" uuid NOT NULL,
	"agreement" text NOT NULL,
	"draft_number" integer NOT NULL,
	"transfer_id" uuid NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economic_draft_claims_company_id_agreement_draft_number_pk" PRIMARY KEY("company_id","agreement","draft_number")
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sweeps" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"watermark" timestamp with time zone,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"next_run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_started_at" timestamp with time zone,
	"last_finished_at" timestamp with time zone,
	"last_listed" integer DEFAULT 0 NOT NULL,
	"last_queued" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
ALTER TABLE "economic_known" ADD COLUMN "agreement" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "economic_known" DROP CONSTRAINT "economic_known_company_id_kind_key_pk";--> statement-breakpoint
ALTER TABLE "economic_known" ADD CONSTRAINT "economic_known_company_id_agreement_kind_key_pk" PRIMARY KEY("company_id","agreement","kind","key");--> statement-breakpoint
ALTER TABLE "company_integrations" ADD COLUMN "rackbeat_invoice_event" text DEFAULT 'invoice.booked' NOT NULL;--> statement-breakpoint
ALTER TABLE "company_integrations" ADD COLUMN "default_customer_group_number" integer;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "source" text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "backfill_id" uuid;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "vat_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "gross_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "economic_vat_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "economic_gross_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."accounts" ADD COLUMN "drop_webhooks" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."accounts" ADD COLUMN "minimal_shapes" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."accounts" ADD COLUMN "invoice_event" text DEFAULT 'invoice.booked' NOT NULL;--> statement-breakpoint
ALTER TABLE "backfills" ADD CONSTRAINT "backfills_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "backfills" ADD CONSTRAINT "backfills_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "economic_draft_claims" ADD CONSTRAINT "economic_draft_claims_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "economic_draft_claims" ADD CONSTRAINT "economic_draft_claims_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sweeps" ADD CONSTRAINT "rackbeat_sweeps_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "backfills_company_running_key" ON "backfills" USING btree ("company_id") WHERE "backfills"."status" = 'running';--> statement-breakpoint
CREATE INDEX "backfills_company_created_idx" ON "backfills" USING btree ("company_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transfers_backfill_idx" ON "transfers" USING btree ("backfill_id","status") WHERE "transfers"."backfill_id" is not null;--> statement-breakpoint
CREATE INDEX "rb_customer_invoices_booked_idx" ON "rackbeat_sandbox"."customer_invoices" USING btree ("account_id","booked_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE is_booked;