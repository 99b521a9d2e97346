-- Log entries and snapshots are stored out of line without PostgreSQL's own compression:
-- snapshots are deflated by the server already, and compressing the tens of megabytes of
-- log entries a large import writes cost more time than the smaller pages saved.
ALTER TABLE "document_updates" ALTER COLUMN "update" SET STORAGE EXTERNAL;--> statement-breakpoint
ALTER TABLE "documents" ALTER COLUMN "snapshot" SET STORAGE EXTERNAL;
