CREATE TABLE "economic_draft_claims" (
	"company_id" uuid NOT NULL,
	"agreement" text NOT NULL,
	"draft_number" integer NOT NULL,
	"transfer_id" uuid NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "economic_draft_claims_company_id_agreement_draft_number_pk" PRIMARY KEY("company_id","agreement","draft_number")
);
--> statement-breakpoint
ALTER TABLE "economic_known" ADD COLUMN "agreement" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "economic_known" DROP CONSTRAINT "economic_known_company_id_kind_key_pk";--> statement-breakpoint
ALTER TABLE "economic_known" ADD CONSTRAINT "economic_known_company_id_agreement_kind_key_pk" PRIMARY KEY("company_id","agreement","kind","key");--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "vat_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "gross_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "economic_vat_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "economic_gross_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "economic_draft_claims" ADD CONSTRAINT "economic_draft_claims_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "economic_draft_claims" ADD CONSTRAINT "economic_draft_claims_transfer_id_transfers_id_fk" FOREIGN KEY ("transfer_id") REFERENCES "public"."transfers"("id") ON DELETE cascade ON UPDATE no action;