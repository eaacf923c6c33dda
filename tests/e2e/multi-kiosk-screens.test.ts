import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOf } from '../../electron/server/tls';
import { pinnedFetch } from '../../electron/satellite/hub-tls';
import { pairWithHub, trpcCall } from '../../electron/satellite/pairing';
import { launchBrowser, screenshot, VIEWPORTS } from '../support/browser';
import { startServer, type RunningServer } from '../support/server';

/**
 * Issue 14's screens against a real hub (`--role hub`: HTTPS with its self-signed
 * certificate; the browser is told to accept it). The console pairs real satellites (from
 * this test process, with pairWithHub) and revokes one. The kiosk's offline states come from
 * `link.status`, which the satellite runtime answers on a satellite: here the test stubs that
 * one procedure in the browser (page.route), so the screens are judged on their own.
 */
const staticDir = process.env.KIOSK_STATIC_DIR ?? 'dist/web';
const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-hub-e2e-'));

let server: RunningServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ staticDir, args: ['--role', 'hub', '--data', dataDir] }), launchBrowser()]);
});
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
});
afterAll(async () => {
  await browser?.close();
  const pid = server?.pid;
  await server?.stop();
  if (pid) expect(() => process.kill(pid, 0)).toThrow();
});

async function openPage(viewport: keyof typeof VIEWPORTS, path: string | null = '/'): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    hasTouch: viewport !== 'desktop',
    locale: 'en-US',
    timezoneId: 'UTC',
    ignoreHTTPSErrors: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  if (path !== null) await page.goto(`${server.url}${path}`);
  return page;
}

const hubPin = () => {
  const certificate = readFileSync(join(dataDir, 'hub-tls.crt'), 'utf8');
  return { certificate, fingerprint: fingerprintOf(certificate) };
};

async function slotIds(labels: string[]): Promise<number[]> {
  const slots = (await trpcCall(pinnedFetch(hubPin()), server.url, 'slot.list', 'GET', { lotId: 1 })) as { id: number; label: string }[];
  return labels.map((label) => slots.find((slot) => slot.label === label)!.id);
}

type LinkState = 'online' | 'offline-leases' | 'out-of-service';
/** Answers `link.status` in this page as a satellite in `state` would. */
async function stubLink(page: Page, state: LinkState, leasedSlotIds: number[], leaseExpiresAt: string | null) {
  const data = {
    role: 'satellite',
    state,
    hubUrl: 'https://192.168.1.20:4780',
    leasedSlotIds,
    leaseExpiresAt,
    journalBacklog: state === 'online' ? 0 : 2,
    lastHubContactAt: new Date(Date.now() - 95_000).toISOString(),
  };
  await page.route('**/trpc/link.status**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ result: { data } }) }),
  );
}

async function expectFits(page: Page) {
  const size = page.viewportSize()!;
  expect(await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }))).toEqual(size);
}

/** The demo lot's zone (electron/core/lots/service.ts): the kiosk shows its times on that clock. */
const DEMO_LOT_ZONE = 'Asia/Kolkata';

describe('kiosk: connection state', () => {
  for (const viewport of ['portrait', 'landscape'] as const) {
    it(`offline on leases (${viewport}): the banner names the leased slots and the time; other slots are not available here`, async () => {
      // Each run leases its own slots: choosing one places a slot hold that outlives the page.
      const leased = viewport === 'portrait' ? ['A1', 'A2'] : ['A4', 'A5'];
      const [a1, a2] = await slotIds(leased);
      const until = new Date(Date.now() + 25 * 60_000);
      until.setUTCSeconds(0, 0);
      const page = await openPage(viewport, null);
      await stubLink(page, 'offline-leases', [a1!, a2!], until.toISOString());
      await page.goto(server.url);
      const banner = page.getByTestId('link-banner');
      // The kiosk shows times on the lot's clock (issue 12), not UTC and not the device's.
      const hhmm = new Intl.DateTimeFormat('en-IN', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: DEMO_LOT_ZONE }).format(until);
      await expect.poll(() => banner.textContent()).toContain(`You can still book slots ${leased.join(', ')} until ${hhmm}`);
      await expectFits(page);
      await screenshot(page, `multi-kiosk-offline-leases-home-${viewport}`);
      await page.getByRole('button', { name: /Book a slot/ }).tap();
      const a3 = page.locator('[data-slot="A3"]');
      await expect.poll(() => a3.getAttribute('data-reason')).toBe('NOT_AT_THIS_KIOSK');
      expect(await a3.getAttribute('aria-disabled')).toBe('true');
      expect(await a3.textContent()).toContain('Not available at this kiosk right now');
      const mine = page.locator(`[data-slot="${leased[0]}"]`);
      expect(await mine.getAttribute('data-reason')).toBeNull();
      await page.locator('[data-slot="A3"]').tap({ force: true }); // aria-disabled: a tap must do nothing
      expect(await page.locator('[data-slot="A3"]').getAttribute('aria-pressed')).toBe('false');
      await mine.tap();
      expect(await mine.getAttribute('aria-pressed')).toBe('true');
      await expectFits(page);
      await screenshot(page, `multi-kiosk-offline-leases-slots-${viewport}`);
    });

    it(`out of service (${viewport}): booking is off and the banner says what a driver can still do`, async () => {
      const page = await openPage(viewport, null);
      await stubLink(page, 'out-of-service', [], null);
      await page.goto(server.url);
      const banner = page.getByTestId('link-banner');
      await expect.poll(() => banner.textContent()).toContain('This kiosk is out of service.');
      expect(await banner.textContent()).toContain('You can still find or cancel a booking made at this kiosk');
      expect(await page.getByRole('button', { name: /Book a slot/ }).isDisabled()).toBe(true);
      await expectFits(page);
      await screenshot(page, `multi-kiosk-out-of-service-${viewport}`);
      // What a driver can still do: find a booking made here (home's own button).
      expect(await banner.getByRole('button').count()).toBe(0);
      // Portrait: the banner's extra line pushes nothing off the home screen (its last row stays above
      // the access bar). Landscape puts the banner inside the top bar, adding no height.
      if (viewport === 'portrait') {
        const switcher = (await page.locator('.language-switch').boundingBox())!;
        const accessBar = await page.locator('.access-bar').boundingBox();
        expect(switcher.y + switcher.height).toBeLessThanOrEqual(accessBar?.y ?? page.viewportSize()!.height);
      }
      await page.getByRole('button', { name: /Find my booking/ }).tap();
      await expect.poll(() => page.locator('.kiosk').getAttribute('data-screen')).toBe('find');
      expect(await page.getByTestId('link-banner').textContent()).toContain('This kiosk is out of service.');
    });
  }

  it('says it in Hindi too', async () => {
    const [a1, a2] = await slotIds(['A1', 'A2']);
    const page = await openPage('portrait', null);
    await stubLink(page, 'offline-leases', [a1!, a2!], new Date(Date.now() + 20 * 60_000).toISOString());
    await page.goto(server.url);
    await page.getByRole('button', { name: 'हिन्दी' }).tap();
    await expect.poll(() => page.getByTestId('link-banner').textContent()).toContain('यह कियोस्क ऑफ़लाइन है।');
    expect(await page.getByTestId('link-banner').textContent()).toContain('A1, A2');
    await expectFits(page);
    await screenshot(page, 'multi-kiosk-offline-leases-home-hi');
  });

  it('shows nothing extra while online', async () => {
    const page = await openPage('portrait');
    await page.getByRole('button', { name: /Book a slot/ }).waitFor();
    // The link state arrives with its own query, after the home screen may already show.
    await expect.poll(() => page.locator('.kiosk').getAttribute('data-link-state')).toBe('online');
    expect(await page.getByTestId('link-banner').count()).toBe(0);
  });
});

describe('console: Kiosks', () => {
  it("adds kiosks with a one-time code, shows each one's state, revokes with a confirm", async () => {
    const page = await openPage('landscape', '/#/staff');
    await page.getByLabel('PIN').fill('482916');
    await page.getByLabel('PIN').press('Enter');
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Kiosks' }).click();
    const addKiosk = async () => {
      const before = await page
        .locator('.pairing-code')
        .textContent()
        .catch(() => null);
      await page.getByRole('button', { name: 'Add a kiosk' }).click();
      await expect
        .poll(
          async () =>
            (await page
              .locator('.pairing-code')
              .textContent()
              .catch(() => null)) ?? before,
        )
        .not.toBe(before);
      return (await page.locator('.pairing-code').textContent())!.replace('-', '');
    };
    // The console's short fingerprint is the one a satellite sees.
    const code = await addKiosk();
    expect(await page.getByTestId('short-fingerprint').textContent()).toBe(hubPin().fingerprint.replace(/:/g, '').slice(0, 16).match(/.{4}/g)!.join(' '));
    const gate = await pairWithHub({ hubUrl: server.url, code, name: 'Gate B kiosk', dataDir: mkdtempSync(join(tmpdir(), 'sat-b-')) });
    const office = await pairWithHub({ hubUrl: server.url, code: await addKiosk(), name: 'Office PC', dataDir: mkdtempSync(join(tmpdir(), 'sat-o-')) });
    const old = await pairWithHub({ hubUrl: server.url, code: await addKiosk(), name: 'Old kiosk', dataDir: mkdtempSync(join(tmpdir(), 'sat-x-')) });
    // The satellites' reports arrive with their lease renewals (the hub branch); here they are written as those would.
    const db = new Database(server.dbFile);
    const report = db.prepare('UPDATE satellites SET last_contact_at = ?, last_report = ? WHERE id = ?');
    report.run(Date.now() - 4_000, JSON.stringify({ state: 'offline-leases', journalBacklog: 3, leasedSlots: 2 }), gate.satelliteId);
    report.run(Date.now() - 3 * 60_000, JSON.stringify({ state: 'online', journalBacklog: 0, leasedSlots: 2 }), office.satelliteId);
    db.close();
    await expect.poll(() => page.locator('tr[data-satellite]').count(), { timeout: 20_000 }).toBe(3);
    await page.locator('tr[data-satellite="Old kiosk"]').getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke kiosk' }).click();
    await expect.poll(() => page.locator('tr[data-satellite="Old kiosk"]').textContent()).toContain('Revoked');
    await expect(trpcCall(pinnedFetch(hubPin()), server.url, 'satellite.whoami', 'GET', undefined, old.credential)).rejects.toMatchObject({
      reason: 'UNAUTHORIZED',
    });
    await expect.poll(() => page.locator('tr[data-satellite="Gate B kiosk"]').textContent(), { timeout: 20_000 }).toContain('Offline on leases');
    // Out of contact, its last report is labelled as such, not shown as its state now.
    const officeRow = await page.locator('tr[data-satellite="Office PC"]').textContent();
    expect(officeRow).toContain('Contact lost');
    expect(officeRow).toContain('Last said: Online');
    await addKiosk();
    await screenshot(page, 'multi-kiosk-console-kiosks');
  });

  it("shows a satellite's own console its link to the hub", async () => {
    const page = await openPage('landscape', null);
    await stubLink(page, 'offline-leases', [1, 2], new Date(Date.now() + 20 * 60_000).toISOString());
    await page.goto(`${server.url}/#/staff`);
    await page.getByLabel('PIN').fill('482916');
    await page.getByLabel('PIN').press('Enter');
    await expect.poll(() => page.getByTestId('link-badge').textContent()).toBe('Offline on leases');
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('button', { name: 'Kiosks' }).click();
    await expect.poll(() => page.getByTestId('link-state').textContent()).toContain('Satellite of https://192.168.1.20:4780');
    expect(await page.getByTestId('link-state').textContent()).toContain('Bookings waiting to reach the hub: 2');
    await screenshot(page, 'multi-kiosk-console-satellite-link');
  });
});
