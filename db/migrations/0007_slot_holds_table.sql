CREATE TABLE `slot_holds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slot_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`client_key` text NOT NULL,
	`created_ms` integer NOT NULL,
	`renewed_ms` integer NOT NULL,
	`expires_ms` integer NOT NULL,
	FOREIGN KEY (`slot_id`) REFERENCES `slots`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "slot_holds_time_order" CHECK("slot_holds"."expires_ms" > "slot_holds"."renewed_ms" AND "slot_holds"."renewed_ms" >= "slot_holds"."created_ms"),
	CONSTRAINT "slot_holds_max_life" CHECK("slot_holds"."expires_ms" <= "slot_holds"."created_ms" + 600000)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slot_holds_token` ON `slot_holds` (`token_hash`);--> statement-breakpoint
CREATE INDEX `slot_holds_slot` ON `slot_holds` (`slot_id`,`expires_ms`);--> statement-breakpoint
CREATE INDEX `slot_holds_expires` ON `slot_holds` (`expires_ms`);--> statement-breakpoint
CREATE INDEX `slot_holds_client` ON `slot_holds` (`client_key`,`expires_ms`);--> statement-breakpoint
ALTER TABLE `lots` ADD `slot_hold_minutes` integer DEFAULT 2 NOT NULL;