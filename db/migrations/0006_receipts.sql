CREATE TABLE `receipt_keys` (
	`key_id` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`private_key_pem` text,
	`label` text NOT NULL,
	`created_at` integer NOT NULL,
	`retired_at` integer
);
--> statement-breakpoint
CREATE TABLE `receipts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`booking_id` integer NOT NULL,
	`kind` text NOT NULL,
	`key_id` text NOT NULL,
	`text` text NOT NULL,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`key_id`) REFERENCES `receipt_keys`(`key_id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "receipts_kind" CHECK("receipts"."kind" IN ('booking','extension','renewal'))
);
--> statement-breakpoint
CREATE INDEX `receipts_booking` ON `receipts` (`booking_id`,`id`);