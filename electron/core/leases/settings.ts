import { z } from 'zod';
import { runInTransaction, runRead, statement, type KioskCore } from '../shared/core';

/**
 * The lot's lease setting (issue 14): how many slots each satellite holds, how long a lease
 * lasts, how often a satellite renews it, and the clock-skew allowance the hub adds before it
 * sells a slot whose lease ran out. Kept in the `settings` table as one JSON value.
 */
export const leaseSettingsSchema = z
  .object({
    slotsPerSatellite: z.number().int().min(0).max(20),
    leaseMs: z.number().int().min(5_000).max(3_600_000),
    renewMs: z.number().int().min(500).max(600_000),
    skewMs: z.number().int().min(0).max(600_000),
  })
  .strict()
  .refine((s) => s.renewMs * 3 <= s.leaseMs, { message: 'A lease must last at least three renewals.' });

export type LeaseSettings = z.infer<typeof leaseSettingsSchema>;

export const DEFAULT_LEASE_SETTINGS: LeaseSettings = { slotsPerSatellite: 2, leaseMs: 60_000, renewMs: 5_000, skewMs: 10_000 };

const KEY = 'lease_settings';

export function leaseSettings(core: KioskCore): LeaseSettings {
  const row = runRead(core, () => statement(core, 'SELECT value FROM settings WHERE key = ?').get(KEY)) as { value: string } | undefined;
  if (!row) return DEFAULT_LEASE_SETTINGS;
  const parsed = leaseSettingsSchema.safeParse(JSON.parse(row.value));
  return parsed.success ? parsed.data : DEFAULT_LEASE_SETTINGS;
}

/** Applies to leases granted or renewed from then on. */
export function setLeaseSettings(core: KioskCore, settings: LeaseSettings): LeaseSettings {
  const valid = leaseSettingsSchema.parse(settings);
  runInTransaction(core, () => {
    statement(core, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(valid));
  });
  return valid;
}
