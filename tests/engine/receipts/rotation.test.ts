/**
 * Receipt key rotation by the owner (issue 13): the old key retires but keeps verifying the
 * receipts it signed, a new key signs from then on, the change is audited, and only the owner
 * may do it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { addStaff } from '../../../electron/core/auth/staff';
import { bootTestKiosk, HOUR, T0, type TestKiosk } from '../../support/core';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

describe('receipt key rotation', () => {
  it('retires the signing key, signs new receipts with a new one, and old receipts still verify', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    const first = await kiosk.caller().booking.create({ slotId: 1, vehicleNumber: 'KA01RK0001', bookingType: 'instant' });
    const firstText = (await kiosk.caller(first.accessToken).receipt.get({ bookingId: first.id })).text;
    const [original] = await owner.receipt.publicKey();

    kiosk.clock.advance(HOUR);
    const rotated = await owner.receipt.rotateKey();
    expect(rotated).toEqual({ keyId: expect.any(String), retiredKeyId: original!.keyId, rotatedAt: new Date(T0 + HOUR).toISOString() });
    expect(rotated.keyId).not.toBe(original!.keyId);

    const second = await kiosk.caller().booking.create({ slotId: 2, vehicleNumber: 'KA01RK0002', bookingType: 'instant' });
    const secondText = (await kiosk.caller(second.accessToken).receipt.get({ bookingId: second.id })).text;
    expect(await owner.receipt.verify({ text: firstText })).toMatchObject({ valid: true, keyId: original!.keyId, issuer: { own: true } });
    expect(await owner.receipt.verify({ text: secondText })).toMatchObject({ valid: true, keyId: rotated.keyId, issuer: { own: true } });

    const keys = await owner.receipt.publicKey();
    expect(keys.map((key) => [key.keyId, key.retiredAt])).toEqual([
      [original!.keyId, new Date(T0 + HOUR).toISOString()],
      [rotated.keyId, null],
    ]);
    const audit = kiosk.core.db.sqlite.prepare(`SELECT actor, detail FROM audit_log WHERE action = 'receipt.rotate_key'`).all() as {
      actor: string;
      detail: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toEqual({ retiredKeyId: original!.keyId, keyId: rotated.keyId });

    // A second rotation: three keys, every receipt so far still verifies.
    const again = await owner.receipt.rotateKey();
    expect(again.retiredKeyId).toBe(rotated.keyId);
    for (const text of [firstText, secondText]) expect(await owner.receipt.verify({ text })).toMatchObject({ valid: true });
    expect((await owner.receipt.publicKey()).filter((key) => key.retiredAt === null).map((key) => key.keyId)).toEqual([again.keyId]);
  });

  it('is the owner’s alone', async () => {
    kiosk = bootTestKiosk();
    addStaff(kiosk.core, 'Sam', 'staff', '735204');
    const staff = kiosk.caller(await kiosk.staffToken('735204'));
    await expect(staff.receipt.rotateKey()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(kiosk.caller().receipt.rotateKey()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(kiosk.core.db.sqlite.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'receipt.rotate_key'`).get()).toEqual({ n: 0 });
  });
});
