CREATE TABLE `tariff_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lot_id` integer NOT NULL,
	`version` integer NOT NULL,
	`document` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	FOREIGN KEY (`lot_id`) REFERENCES `lots`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tariff_versions_lot_version` ON `tariff_versions` (`lot_id`,`version`);--> statement-breakpoint
ALTER TABLE `bookings` ADD `tariff_version_id` integer REFERENCES tariff_versions(id);--> statement-breakpoint
ALTER TABLE `bookings` ADD `price_breakdown` text;--> statement-breakpoint
ALTER TABLE `bookings` ADD `chain_start_ms` integer;--> statement-breakpoint
ALTER TABLE `bookings` ADD `grace_until_ms` integer;--> statement-breakpoint
CREATE INDEX `bookings_held_slot` ON `bookings` (`slot_id`,`grace_until_ms`) WHERE status <> 'cancelled';
