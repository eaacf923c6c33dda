import { z } from 'zod';
import { oneOf, VEHICLE_TYPES } from '../../../shared/vocabulary';

// Field schemas the core validates documents with (central documents, issue 15) and the router
// validates requests with: written once here, imported by both (electron/api/schemas.ts).

/** An amount of the lot's currency in minor units (paise, cents). */
export const money = z
  .number({ error: 'Enter an amount in minor units (paise).' })
  .int('Money is a whole number of minor units (paise).')
  .min(0, 'A price cannot be negative.')
  .max(100_000_000, 'That price is too high.');

export const vehicleType = z.enum(VEHICLE_TYPES, { error: `Vehicle type is ${oneOf(VEHICLE_TYPES)}.` });
