CREATE SCHEMA "economic_sandbox";
--> statement-breakpoint
CREATE SCHEMA "rackbeat_sandbox";
--> statement-breakpoint
CREATE TYPE "public"."locale" AS ENUM('da', 'en');--> statement-breakpoint
CREATE TYPE "public"."role" AS ENUM('admin', 'viewer');--> statement-breakpoint
CREATE TYPE "public"."transfer_status" AS ENUM('queued', 'processing', 'draft', 'booked', 'failed', 'skipped');--> statement-breakpoint
CREATE TABLE "companies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_integrations" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"economic_grant_token_enc" text,
	"economic_grant_token_hint" text,
	"economic_agreement_number" integer,
	"economic_company_name" text,
	"rackbeat_api_key_enc" text,
	"rackbeat_api_key_hint" text,
	"rackbeat_account_id" text,
	"rackbeat_account_name" text,
	"rackbeat_webhook_id" text,
	"rackbeat_webhook_token_hash" text,
	"rackbeat_webhook_events" text[] DEFAULT '{}'::text[] NOT NULL,
	"default_layout_number" integer,
	"default_payment_terms_number" integer,
	"sender_email" text,
	"activated" boolean DEFAULT false NOT NULL,
	"activated_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "company_settings" (
	"company_id" uuid PRIMARY KEY NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"values" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "economic_calls" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer,
	"duration_ms" integer NOT NULL,
	"error" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "economic_known" (
	"company_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"data" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economic_known_company_id_kind_key_pk" PRIMARY KEY("company_id","kind","key")
);
--> statement-breakpoint
CREATE TABLE "login_throttles" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_failure_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"transfer_id" uuid,
	"from_address" text NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"attachment_name" text,
	"attachment" text,
	"delivery" text NOT NULL,
	"message_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"role" "role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"user_id" uuid,
	"user_name" text,
	"key" text NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transfer_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transfer_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"worker" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"error" jsonb
);
--> statement-breakpoint
CREATE TABLE "transfer_customers" (
	"company_id" uuid NOT NULL,
	"customer_number" text NOT NULL,
	"customer_name" text NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transfer_customers_company_id_customer_number_customer_name_pk" PRIMARY KEY("company_id","customer_number","customer_name")
);
--> statement-breakpoint
CREATE TABLE "transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"rackbeat_invoice_number" text NOT NULL,
	"status" "transfer_status" DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"retry_base_attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now(),
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"last_error" jsonb,
	"skip_reason" text,
	"invoice" jsonb,
	"plan" jsonb,
	"checkpoint" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"economic_draft_number" integer,
	"economic_booked_number" integer,
	"sent_by" text,
	"order_number" text,
	"customer_number" text,
	"customer_name" text,
	"invoice_date" date,
	"currency" text,
	"net_amount" numeric(18, 2),
	"economic_net_amount" numeric(18, 2),
	"amount_mismatch" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"locale" "locale" DEFAULT 'da' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"transfer_id" uuid,
	"event" text NOT NULL,
	"key" text NOT NULL,
	"headers" jsonb NOT NULL,
	"body" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "economic_sandbox"."agreements" (
	"agreement_number" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "economic_sandbox"."agreements_agreement_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 900001 CACHE 1),
	"grant_token" text NOT NULL,
	"company_name" text NOT NULL,
	"cvr" text,
	"next_draft_number" integer DEFAULT 1 NOT NULL,
	"next_booked_number" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreements_grantToken_unique" UNIQUE("grant_token")
);
--> statement-breakpoint
CREATE TABLE "economic_sandbox"."documents" (
	"agreement_number" integer NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"sort_number" bigint,
	"parent_key" text,
	"data" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_agreement_number_kind_key_pk" PRIMARY KEY("agreement_number","kind","key")
);
--> statement-breakpoint
CREATE TABLE "economic_sandbox"."fault_plans" (
	"agreement_number" integer PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"api_key" text NOT NULL,
	"next_invoice_number" integer DEFAULT 1001 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."customer_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."customer_invoice_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"invoice_id" integer NOT NULL,
	"position" integer NOT NULL,
	"child_id" text NOT NULL,
	"child_type" text NOT NULL,
	"name" text NOT NULL,
	"quantity" numeric(20, 6) NOT NULL,
	"line_price" numeric(20, 6) NOT NULL,
	"discount_percentage" numeric(9, 4) NOT NULL,
	"vat_percentage" numeric(5, 2) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."customer_invoices" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" text NOT NULL,
	"customer_number" integer NOT NULL,
	"order_id" integer,
	"order_number" text,
	"project_number" text,
	"currency" text NOT NULL,
	"currency_rate" numeric(20, 6) NOT NULL,
	"date" date NOT NULL,
	"due_date" date NOT NULL,
	"heading" text,
	"note" text,
	"is_booked" boolean DEFAULT false NOT NULL,
	"booked_at" timestamp with time zone,
	"total_subtotal" numeric(20, 2) NOT NULL,
	"total_vat" numeric(20, 2) NOT NULL,
	"total_total" numeric(20, 2) NOT NULL,
	"address_name" text,
	"address_street" text,
	"address_city" text,
	"address_zipcode" text,
	"address_country" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."customers" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" integer NOT NULL,
	"company_name" text NOT NULL,
	"company_vat" text,
	"ean" text,
	"their_reference" text,
	"address_street" text,
	"address_city" text,
	"address_zipcode" text,
	"address_country" text,
	"contact_email" text,
	"payment_terms_number" integer,
	"group_number" integer NOT NULL,
	"vat_zone" integer DEFAULT 1 NOT NULL,
	"currency" text DEFAULT 'DKK' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."payment_terms" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"days" integer NOT NULL,
	"type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."product_groups" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"vat_domestic" numeric(5, 2) DEFAULT '25' NOT NULL,
	"vat_eu" numeric(5, 2) DEFAULT '0' NOT NULL,
	"vat_abroad" numeric(5, 2) DEFAULT '0' NOT NULL,
	"vat_domestic_exempt" numeric(5, 2) DEFAULT '0' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."products" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"group_number" integer NOT NULL,
	"sales_price" numeric(20, 6) DEFAULT '0' NOT NULL,
	"unit" text DEFAULT 'stk' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"number" text NOT NULL,
	"name" text NOT NULL,
	"customer_number" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"webhook_id" integer,
	"event" text NOT NULL,
	"key" text NOT NULL,
	"url" text NOT NULL,
	"headers" jsonb NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"response_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."webhook_delivery_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"delivery_id" bigint NOT NULL,
	"response_status" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rackbeat_sandbox"."webhooks" (
	"id" serial PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"event" text NOT NULL,
	"url" text NOT NULL,
	"token" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "company_integrations" ADD CONSTRAINT "company_integrations_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_settings" ADD CONSTRAINT "company_settings_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_settings" ADD CONSTRAINT "company_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "economic_calls" ADD CONSTRAINT "economic_calls_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "economic_known" ADD CONSTRAINT "economic_known_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings_changes" ADD CONSTRAINT "settings_changes_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "settings_changes" ADD CONSTRAINT "settings_changes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_attempts" ADD CONSTRAINT "transfer_attempts_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfer_customers" ADD CONSTRAINT "transfer_customers_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transfers" ADD CONSTRAINT "transfers_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "economic_sandbox"."documents" ADD CONSTRAINT "documents_agreement_number_agreements_agreement_number_fk" FOREIGN KEY ("agreement_number") REFERENCES "economic_sandbox"."agreements"("agreement_number") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "economic_sandbox"."fault_plans" ADD CONSTRAINT "fault_plans_agreement_number_agreements_agreement_number_fk" FOREIGN KEY ("agreement_number") REFERENCES "economic_sandbox"."agreements"("agreement_number") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."customer_groups" ADD CONSTRAINT "customer_groups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."customer_invoice_lines" ADD CONSTRAINT "customer_invoice_lines_invoice_id_customer_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "rackbeat_sandbox"."customer_invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."customer_invoices" ADD CONSTRAINT "customer_invoices_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."customers" ADD CONSTRAINT "customers_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."orders" ADD CONSTRAINT "orders_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."payment_terms" ADD CONSTRAINT "payment_terms_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."product_groups" ADD CONSTRAINT "product_groups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."products" ADD CONSTRAINT "products_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."projects" ADD CONSTRAINT "projects_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "rackbeat_sandbox"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rackbeat_sandbox"."webhooks" ADD CONSTRAINT "webhooks_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "rackbeat_sandbox"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "company_integrations_rackbeat_account_key" ON "company_integrations" USING btree ("rackbeat_account_id") WHERE "company_integrations"."rackbeat_account_id" is not null;--> statement-breakpoint
CREATE INDEX "economic_calls_transfer_idx" ON "economic_calls" USING btree ("transfer_id","id");--> statement-breakpoint
CREATE INDEX "mail_outbox_transfer_idx" ON "mail_outbox" USING btree ("transfer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "memberships_user_key" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "memberships_company_idx" ON "memberships" USING btree ("company_id");--> statement-breakpoint
CREATE INDEX "settings_changes_company_idx" ON "settings_changes" USING btree ("company_id","changed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transfer_attempts_transfer_idx" ON "transfer_attempts" USING btree ("transfer_id","attempt");--> statement-breakpoint
CREATE INDEX "transfer_customers_name_trgm_idx" ON "transfer_customers" USING gin ("company_id",lower("customer_name") gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "transfers_company_invoice_key" ON "transfers" USING btree ("company_id","rackbeat_invoice_number");--> statement-breakpoint
CREATE INDEX "transfers_due_idx" ON "transfers" USING btree ("next_attempt_at") WHERE "transfers"."status" in ('queued', 'failed', 'processing') and "transfers"."next_attempt_at" is not null;--> statement-breakpoint
CREATE INDEX "transfers_company_created_idx" ON "transfers" USING btree ("company_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transfers_company_status_created_idx" ON "transfers" USING btree ("company_id","status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "transfers_company_order_idx" ON "transfers" USING btree ("company_id","order_number","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "transfers"."order_number" is not null;--> statement-breakpoint
CREATE INDEX "transfers_company_customer_idx" ON "transfers" USING btree ("company_id","customer_number","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "transfers"."customer_number" is not null;--> statement-breakpoint
CREATE INDEX "transfers_company_customer_status_idx" ON "transfers" USING btree ("company_id","customer_number","status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "transfers"."customer_number" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "webhook_events_transfer_idx" ON "webhook_events" USING btree ("transfer_id");--> statement-breakpoint
CREATE INDEX "documents_order_idx" ON "economic_sandbox"."documents" USING btree ("agreement_number","kind","sort_number","key");--> statement-breakpoint
CREATE INDEX "documents_parent_idx" ON "economic_sandbox"."documents" USING btree ("agreement_number","kind","parent_key") WHERE parent_key is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "rb_accounts_api_key_key" ON "rackbeat_sandbox"."accounts" USING btree ("api_key");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_customer_groups_number_key" ON "rackbeat_sandbox"."customer_groups" USING btree ("account_id","number");--> statement-breakpoint
CREATE INDEX "rb_customer_invoice_lines_invoice_idx" ON "rackbeat_sandbox"."customer_invoice_lines" USING btree ("invoice_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_customer_invoices_number_key" ON "rackbeat_sandbox"."customer_invoices" USING btree ("account_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_customers_number_key" ON "rackbeat_sandbox"."customers" USING btree ("account_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_orders_number_key" ON "rackbeat_sandbox"."orders" USING btree ("account_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_payment_terms_number_key" ON "rackbeat_sandbox"."payment_terms" USING btree ("account_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_product_groups_number_key" ON "rackbeat_sandbox"."product_groups" USING btree ("account_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_products_number_key" ON "rackbeat_sandbox"."products" USING btree ("account_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_projects_number_key" ON "rackbeat_sandbox"."projects" USING btree ("account_id","number");--> statement-breakpoint
CREATE INDEX "rb_webhook_deliveries_account_idx" ON "rackbeat_sandbox"."webhook_deliveries" USING btree ("account_id","id");--> statement-breakpoint
CREATE INDEX "rb_webhook_deliveries_pending_idx" ON "rackbeat_sandbox"."webhook_deliveries" USING btree ("status") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "rb_webhook_delivery_attempts_delivery_idx" ON "rackbeat_sandbox"."webhook_delivery_attempts" USING btree ("delivery_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rb_webhooks_event_url_key" ON "rackbeat_sandbox"."webhooks" USING btree ("account_id","event","url");