import { z } from 'zod';
import type { KioskCore } from '../kiosk-core';
import { runInTransaction, runRead } from '../shared/unit-of-work';

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

export function leaseSettings(core: KioskCore): LeaseSettings {
  const value = runRead(core, () => core.settings.get('lease_settings'));
  if (value === undefined) return DEFAULT_LEASE_SETTINGS;
  const parsed = leaseSettingsSchema.safeParse(JSON.parse(value));
  return parsed.success ? parsed.data : DEFAULT_LEASE_SETTINGS;
}

/** Applies to leases granted or renewed from then on. */
export function setLeaseSettings(core: KioskCore, settings: LeaseSettings): LeaseSettings {
  const valid = leaseSettingsSchema.parse(settings);
  runInTransaction(core, () => {
    core.settings.set('lease_settings', JSON.stringify(valid));
  });
  return valid;
}
