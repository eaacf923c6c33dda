import { staffCount } from '../core/auth/staff';
import { listLots } from '../core/lots/service';
import type { BootedKiosk } from '../app/boot';

/**
 * What `npm run serve` says after it starts, as `npm start` does: whether a demo lot was
 * seeded (or which lot is there, or that none is yet) and how staff log in. It never prints
 * a PIN: the person either chose it (KIOSK_STAFF_PIN) or creates it in the console.
 */
export function describeStart(kiosk: Pick<BootedKiosk, 'core' | 'firstRun'>, options: { staffUrl: string; pinFromEnv: boolean }): string[] {
  const lines: string[] = [];
  const [lot] = listLots(kiosk.core);
  if (kiosk.firstRun.seededDemoLot && lot) lines.push(`  Lot:           demo lot seeded (${lot.name}, ${lot.totalSlots} slots)`);
  else if (lot) lines.push(`  Lot:           ${lot.name}, ${lot.totalSlots} slots (no demo lot seeded)`);
  else lines.push(`  Lot:           none yet, no demo lot seeded; the owner sets it up in the staff console (or start with --demo)`);
  if (staffCount(kiosk.core) === 0) lines.push(`  Staff login:   no owner yet; open ${options.staffUrl} to create the owner`);
  else if (kiosk.firstRun.createdOwnerFromEnv) lines.push('  Staff login:   owner "Owner" created; log in with the PIN from KIOSK_STAFF_PIN');
  else if (options.pinFromEnv) lines.push("  Staff login:   with your staff PIN (the owner's is the PIN from KIOSK_STAFF_PIN on the first start)");
  else lines.push('  Staff login:   with your staff PIN');
  return lines;
}
