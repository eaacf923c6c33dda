CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`staff_id` integer,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `booking_add_ons` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`booking_id` integer NOT NULL,
	`kind` text NOT NULL,
	`price` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `booking_add_ons_once` ON `booking_add_ons` (`booking_id`,`kind`);--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`reference` text NOT NULL,
	`lot_id` integer NOT NULL,
	`slot_id` integer NOT NULL,
	`vehicle_number` text NOT NULL,
	`vehicle_type` text NOT NULL,
	`booking_type` text NOT NULL,
	`status` text DEFAULT 'booked' NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`price` integer NOT NULL,
	`renewed_from_id` integer,
	`created_at` integer NOT NULL,
	`cancelled_at` integer,
	`cancelled_by` text,
	`cancel_reason` text,
	FOREIGN KEY (`lot_id`) REFERENCES `lots`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "bookings_time_order" CHECK("bookings"."end_ms" > "bookings"."start_ms"),
	CONSTRAINT "bookings_price_nonneg" CHECK("bookings"."price" >= 0),
	CONSTRAINT "bookings_status" CHECK("bookings"."status" IN ('booked','completed','cancelled')),
	CONSTRAINT "bookings_type" CHECK("bookings"."booking_type" IN ('instant','advance'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_reference` ON `bookings` (`reference`);--> statement-breakpoint
CREATE UNIQUE INDEX `bookings_renewed_from` ON `bookings` (`renewed_from_id`);--> statement-breakpoint
CREATE INDEX `bookings_active_end` ON `bookings` (`end_ms`) WHERE status = 'booked';--> statement-breakpoint
CREATE INDEX `bookings_active_slot` ON `bookings` (`slot_id`,`start_ms`) WHERE status = 'booked';--> statement-breakpoint
CREATE INDEX `bookings_status_id` ON `bookings` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `bookings_vehicle` ON `bookings` (`vehicle_number`);--> statement-breakpoint
CREATE INDEX `bookings_slot_id` ON `bookings` (`slot_id`,`id`);--> statement-breakpoint
CREATE INDEX `bookings_lot_id` ON `bookings` (`lot_id`,`id`);--> statement-breakpoint
CREATE TABLE `lots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`currency` text DEFAULT 'INR' NOT NULL,
	`booking_minutes` integer DEFAULT 60 NOT NULL,
	`car_wash_price` integer DEFAULT 15000 NOT NULL,
	`created_at` integer NOT NULL,
	CONSTRAINT "lots_booking_minutes_range" CHECK("lots"."booking_minutes" BETWEEN 5 AND 1440),
	CONSTRAINT "lots_car_wash_price_nonneg" CHECK("lots"."car_wash_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `slots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`lot_id` integer NOT NULL,
	`label` text NOT NULL,
	`vehicle_type` text NOT NULL,
	`hourly_price` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`lot_id`) REFERENCES `lots`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "slots_hourly_price_nonneg" CHECK("slots"."hourly_price" >= 0),
	CONSTRAINT "slots_vehicle_type" CHECK("slots"."vehicle_type" IN ('car','bike','suv','ev','truck'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slots_lot_label` ON `slots` (`lot_id`,`label`);--> statement-breakpoint
CREATE TABLE `staff` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`pin_hash` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_name` ON `staff` (`name`);--> statement-breakpoint
CREATE TABLE `staff_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`staff_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `throttles` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`window_start` integer NOT NULL,
	`locked_until` integer DEFAULT 0 NOT NULL
);
