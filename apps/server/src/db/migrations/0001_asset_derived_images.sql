ALTER TABLE "assets" ADD COLUMN "display_blob_hash" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "display_media_type" text;--> statement-breakpoint
ALTER TABLE "assets" ADD COLUMN "thumbnail_blob_hash" text;