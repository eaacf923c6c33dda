import { isTimeZone } from '../../shared/local-time';

/**
 * The lot's wall clock in the renderer: which zone that is. Every time the kiosk and the console
 * show, and every start time the driver picks, is on the lot's clock (its IANA zone, from the lot
 * record), never the device's: a kiosk whose OS is set to another zone, or a browser elsewhere,
 * still reads the lot's hours. The zone math itself is shared/local-time.ts (the core's too).
 */
let lotZone: string | undefined;
let version = 0;

/** Sets the zone kiosk and console times are shown in (the lot's); a zone this browser does not know is ignored. */
export function setLotTimeZone(zone: string | undefined): void {
  if (zone === lotZone || zone === undefined || !isTimeZone(zone)) return; // keep the last good one
  lotZone = zone;
  version += 1;
}

/** The lot's zone once known; the device's until the lot has loaded. */
export const lotTimeZone = (): string => lotZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Goes up on every change of the zone, so formatters built for the old one can be rebuilt (staff/format.ts). */
export const lotTimeZoneVersion = (): number => version;
