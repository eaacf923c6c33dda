CREATE TABLE `satellite_replays` (
	`event_id` text PRIMARY KEY NOT NULL,
	`satellite_id` text NOT NULL,
	`kind` text NOT NULL,
	`applied_at` integer NOT NULL,
	`outcome` text NOT NULL,
	FOREIGN KEY (`satellite_id`) REFERENCES `satellites`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `satellites` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`credential_hash` text NOT NULL,
	`paired_at` integer NOT NULL,
	`revoked_at` integer,
	`last_contact_at` integer,
	`last_report` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `satellites_credential_hash_unique` ON `satellites` (`credential_hash`);--> statement-breakpoint
CREATE TABLE `slot_leases` (
	`slot_id` integer PRIMARY KEY NOT NULL,
	`satellite_id` text NOT NULL,
	`granted_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`blocked_until` integer NOT NULL,
	FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`satellite_id`) REFERENCES `satellites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "slot_leases_time_order" CHECK("slot_leases"."expires_at" > "slot_leases"."granted_at" AND "slot_leases"."blocked_until" >= "slot_leases"."expires_at")
);
--> statement-breakpoint
CREATE INDEX `slot_leases_satellite` ON `slot_leases` (`satellite_id`);--> statement-breakpoint
ALTER TABLE `bookings` ADD `global_id` text;--> statement-breakpoint
ALTER TABLE `bookings` ADD `satellite_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_global_id` ON `bookings` (`global_id`);