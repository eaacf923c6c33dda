CREATE TABLE `plate_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`booking_id` integer NOT NULL,
	`from_plate` text NOT NULL,
	`to_plate` text NOT NULL,
	`by` text NOT NULL,
	`staff_id` integer,
	`reason` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "plate_corrections_changed" CHECK("plate_corrections"."from_plate" <> "plate_corrections"."to_plate")
);
--> statement-breakpoint
CREATE INDEX `plate_corrections_booking` ON `plate_corrections` (`booking_id`,`at`);--> statement-breakpoint
ALTER TABLE `lots` ADD `plate_correction_minutes` integer DEFAULT 5 NOT NULL;