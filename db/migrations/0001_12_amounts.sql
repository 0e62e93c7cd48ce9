ALTER TABLE "transfers" ADD COLUMN "vat_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "gross_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "economic_vat_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "transfers" ADD COLUMN "economic_gross_amount" numeric(18, 2);