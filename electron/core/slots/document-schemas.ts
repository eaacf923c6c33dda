import { z } from 'zod';
import { money, vehicleType } from '../shared/fields';
import { bookingMinutes, graceMinutes, lotName, plateCorrectionMinutes, slotHoldMinutes, slotLabel, timeZoneName } from './fields';

// What a central slot map and lot settings document may hold (the rule that applies them is
// slots/documents.ts). Pure: the central server checks documents with these too.

export const SLOT_MAP_MAX_SLOTS = 2000;

export const slotMapDocument = z
  .object({
    slots: z
      .array(
        z
          .object({
            label: slotLabel,
            vehicleType,
            hourlyPrice: money,
            /** false: closed for maintenance (running bookings keep running). */
            enabled: z.boolean({ error: 'A slot is open (true) or closed (false).' }).default(true),
          })
          .strict(),
      )
      .min(1, 'A slot map lists at least one slot.')
      .max(SLOT_MAP_MAX_SLOTS, `A slot map lists at most ${SLOT_MAP_MAX_SLOTS} slots.`),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.slots.forEach((slot, index) => {
      const key = slot.label.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['slots', index, 'label'], message: `Slot ${slot.label} is listed twice.` });
      seen.add(key);
    });
  });
export type SlotMapDocument = z.infer<typeof slotMapDocument>;

/** The currency is not among them: it is set where the lot is set up, and cannot change once it has bookings. */
export const lotSettingsDocument = z
  .object({
    name: lotName,
    timeZone: timeZoneName,
    bookingMinutes,
    carWashPrice: money,
    slotHoldMinutes,
    plateCorrectionMinutes,
    graceMinutes,
  })
  .partial()
  .strict()
  .refine((doc) => Object.values(doc).some((value) => value !== undefined), 'A settings document changes at least one setting.');
export type LotSettingsDocument = z.infer<typeof lotSettingsDocument>;
