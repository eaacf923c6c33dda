ALTER TABLE `receipts` ADD `superseded_at` integer;--> statement-breakpoint
ALTER TABLE `receipts` ADD `superseded_by` integer;