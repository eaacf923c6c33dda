import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CHUNK_BYTES } from '../../electron/core/backup/download';
import { backupByName } from '../../electron/core/backup/files';
import { backupConfig } from '../../electron/core/backup/service';
import { addStaff } from '../../electron/core/auth/staff';
import { bootTestKiosk, type TestKiosk } from '../support/core';

/** What the console's Backups screen uses: the download in pieces and the last automatic backup's health. */
let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

describe('backups for the console', () => {
  it('downloads a backup byte for byte in 1 MiB pieces, for the owner only', async () => {
    kiosk = bootTestKiosk({ staffPin: '482916' });
    // Enough rows that the file spans several pieces.
    const insert = kiosk.core.db.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    kiosk.core.db.sqlite.transaction(() => {
      for (let i = 0; i < 300; i += 1) insert.run(`filler-${i}`, 'x'.repeat(8_000));
    })();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    const made = await owner.backup.create();
    expect(made.bytes).toBeGreaterThan(2 * CHUNK_BYTES);
    const pieces: Buffer[] = [];
    for (let offset = 0, done = false; !done;) {
      const chunk = await owner.backup.download({ name: made.name, offset });
      pieces.push(Buffer.from(chunk.data, 'base64'));
      offset += Buffer.from(chunk.data, 'base64').length;
      done = chunk.done;
      expect(chunk.totalBytes).toBe(made.bytes);
    }
    expect(pieces.length).toBe(Math.ceil(made.bytes / CHUNK_BYTES));
    const file = backupByName(backupConfig(kiosk.core).dir, made.name)!;
    expect(Buffer.concat(pieces).equals(readFileSync(file.path))).toBe(true);

    addStaff(kiosk.core, 'Sam', 'staff', '735204');
    const staff = kiosk.caller(await kiosk.staffToken('735204'));
    await expect(staff.backup.download({ name: made.name })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(owner.backup.download({ name: '../kiosk.db' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(owner.backup.download({ name: 'kiosk-20260101T000000000Z-0001-manual.db' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports the last automatic backup and whether SQLite finds it sound', async () => {
    kiosk = bootTestKiosk({ staffPin: '482916' });
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    expect((await owner.backup.list()).lastAutomatic).toEqual({ backup: null, integrity: null });
    await owner.backup.create(); // manual: not an automatic one
    expect((await owner.backup.list()).lastAutomatic.backup).toBeNull();
    const scheduled = await kiosk.backups.runOnce();
    const health = (await owner.backup.list()).lastAutomatic;
    expect(health).toEqual({ backup: { ...scheduled, kind: 'scheduled' }, integrity: { ok: true } });

    kiosk.clock.advance(60_000);
    const next = (await kiosk.backups.runOnce())!;
    const path = backupByName(backupConfig(kiosk.core).dir, next.name)!.path;
    const bytes = readFileSync(path);
    bytes.fill(0x55, 4096, 8192); // a damaged page
    writeFileSync(path, bytes);
    const damaged = (await owner.backup.list()).lastAutomatic;
    expect(damaged.backup?.name).toBe(next.name);
    expect(damaged.integrity).toMatchObject({ ok: false });
  });
});
