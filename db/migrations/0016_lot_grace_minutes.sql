-- Issue 12: every lot has a grace period (default 10 minutes) after a flat-rate stay ends; a saved tariff's graceMinutes wins.
ALTER TABLE `lots` ADD `grace_minutes` integer DEFAULT 10 NOT NULL;