ALTER TABLE "assets" ADD COLUMN "subset" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "item_path" text;--> statement-breakpoint
ALTER TABLE "labels" ADD COLUMN "interchange" jsonb DEFAULT '{}'::jsonb NOT NULL;