import type { KioskCore } from '../kiosk-core';
import { DomainError } from '../shared/errors';

/** The lot a request names, else the kiosk's first lot (a kiosk runs one lot). */
export function lotOrFirst(core: KioskCore, lotId: number | undefined): number {
  if (lotId !== undefined) return lotId;
  const first = core.lots.firstId();
  if (first === null) throw new DomainError('NOT_FOUND', 'There is no lot yet.');
  return first;
}
