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
CREATE INDEX `pairing_codes_expires` ON `pairing_codes` (`expires_at`);