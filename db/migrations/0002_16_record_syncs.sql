ALTER TABLE "company_integrations" ADD COLUMN "rackbeat_record_events" jsonb;--> statement-breakpoint
ALTER TABLE "company_integrations" ADD COLUMN "rackbeat_record_webhooks" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "kind" text DEFAULT 'invoice' NOT NULL;--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "resync_requested" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "transfers_company_kind_created_idx" ON "transfers" USING btree ("company_id","kind","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);