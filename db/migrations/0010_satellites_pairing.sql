CREATE TABLE `pairing_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`created_by` integer,
	`used_at` integer,
	`satellite_id` text,
	FOREIGN KEY (`satellite_id`) REFERENCES `satellites`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "pairing_codes_life" CHECK("pairing_codes"."expires_at" > "pairing_codes"."created_at" AND "pairing_codes"."expires_at" <= "pairing_codes"."created_at" + 600000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pairing_codes_code_unique` ON `pairing_codes` (`code`);--> statement-breakpoint
CREATE INDEX `pairing_codes_expires` ON `pairing_codes` (`expires_at`);--> statement-breakpoint
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
CREATE UNIQUE INDEX `satellites_credential_hash_unique` ON `satellites` (`credential_hash`);