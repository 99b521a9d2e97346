ALTER TABLE "assets" ADD COLUMN "interchange" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "pending_projections" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "interchange" jsonb DEFAULT '{}'::jsonb NOT NULL;