import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMain } from './support/load-main';
import { waitFor } from '../support/wait';

/**
 * electron/main.ts starts the central sync worker (issue 15) from KIOSK_CENTRAL_URL /
 * KIOSK_CENTRAL_KEY and stops it on quit. The "central server" here is a loopback stand-in
 * that records who called and refuses everything, so the worker keeps retrying.
 */

describe('electron/main.ts and the central server', () => {
  const calls: { url: string; authorization: string | undefined }[] = [];
  let central: Server;
  let centralUrl: string;

  beforeAll(async () => {
    central = createServer((req, res) => {
      calls.push({ url: req.url ?? '', authorization: req.headers.authorization });
      req.resume();
      res
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":{"message":"not today","code":-32603,"data":{"code":"INTERNAL_SERVER_ERROR","httpStatus":503}}}');
    });
    await new Promise<void>((resolve) => central.listen(0, '127.0.0.1', resolve));
    centralUrl = `http://127.0.0.1:${(central.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    central.closeAllConnections();
    await new Promise((resolve) => central.close(resolve));
  });

  it('syncs with the central server named in KIOSK_CENTRAL_URL with KIOSK_CENTRAL_KEY, and stops on quit', async () => {
    const fake = await loadMain({
      KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-main-sync-')),
      KIOSK_CENTRAL_URL: centralUrl,
      KIOSK_CENTRAL_KEY: 'lot-key-482916',
      KIOSK_SYNC_BACKOFF_MS: '20',
      KIOSK_SYNC_BACKOFF_MAX_MS: '50',
    });
    try {
      expect(fake.calls.errorBoxes).toEqual([]);
      await waitFor(() => calls.length >= 2);
      expect(calls[0]).toMatchObject({ authorization: 'Bearer lot-key-482916' });
      expect(calls[0]!.url).toMatch(/^\/trpc\//);
    } finally {
      fake.app.emit('will-quit');
    }
    const after = calls.length;
    // Retries come every 50 ms at most while running; ten such intervals without one: stopped.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(calls.length).toBeLessThanOrEqual(after + 1); // at most one request already in flight
  });

  it('refuses to start with a central URL but no lot key, and says so', async () => {
    const fake = await loadMain({ KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kiosk-main-sync-')), KIOSK_CENTRAL_URL: centralUrl });
    try {
      expect(fake.calls.exit).toEqual([1]);
      expect(fake.calls.errorBoxes[0]!.content).toMatch(/no lot key/);
    } finally {
      fake.app.emit('will-quit');
    }
  });
});
