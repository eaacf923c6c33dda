CREATE TABLE `central_documents` (
	`version` integer PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`local_lot_id` integer NOT NULL,
	`document` text NOT NULL,
	`effective_from` integer NOT NULL,
	`received_at` integer NOT NULL,
	`applied_at` integer,
	`applied_as` text
);
--> statement-breakpoint
CREATE INDEX `central_documents_pending` ON `central_documents` (`effective_from`) WHERE applied_at IS NULL;--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY NOT NULL,
	`event_id` text NOT NULL,
	`lot_id` text NOT NULL,
	`kind` text NOT NULL,
	`entity` text NOT NULL,
	`payload` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_event_id` ON `outbox` (`event_id`);--> statement-breakpoint
CREATE INDEX `outbox_unsent` ON `outbox` (`seq`) WHERE sent_at IS NULL;