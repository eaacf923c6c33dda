import { afterEach, describe, expect, it } from 'vitest';
import { describeStart } from '../../electron/server/start-summary';
import { bootTestKiosk, type TestKiosk } from '../support/core';

/** What `npm run serve` prints after start: the demo lot or not, and how staff log in (never a PIN). */
let kiosk: TestKiosk;
afterEach(() => kiosk?.close());
const URL = 'http://127.0.0.1:4780/#/staff';

describe('the serve start summary', () => {
  it('on an empty database without --demo: no lot, and open the console to create the owner', () => {
    kiosk = bootTestKiosk({ demo: false, staffPin: '' });
    const lines = describeStart(kiosk, { staffUrl: URL, pinFromEnv: false }).join('\n');
    expect(lines).toContain('none yet, no demo lot seeded');
    expect(lines).toContain(`no owner yet; open ${URL} to create the owner`);
  });

  it('with --demo and KIOSK_STAFF_PIN: says the demo lot was seeded and to use the PIN from KIOSK_STAFF_PIN', () => {
    kiosk = bootTestKiosk({ demo: true, staffPin: '482916' });
    const lines = describeStart(kiosk, { staffUrl: URL, pinFromEnv: true }).join('\n');
    expect(lines).toContain('demo lot seeded (Marine Drive Parking, 24 slots)');
    expect(lines).toContain('the PIN from KIOSK_STAFF_PIN');
    expect(lines).not.toContain('482916');
  });

  it('on a later start: names the lot that is there and does not claim a seed', () => {
    const first = bootTestKiosk({ demo: true, staffPin: '482916' });
    const dbFile = first.dbFile;
    first.close();
    kiosk = bootTestKiosk({ dbFile, demo: true, staffPin: '482916' });
    const lines = describeStart(kiosk, { staffUrl: URL, pinFromEnv: true }).join('\n');
    expect(lines).toContain('Marine Drive Parking, 24 slots (no demo lot seeded)');
    expect(lines).toContain('with your staff PIN');
    expect(lines).not.toContain('482916');
  });
});
