import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { setHubIdentity } from '../../../electron/core/pairing/hub-identity';
import { cpaceConfirm, cpaceSide, grantConfirm, sameMac } from '../../../electron/core/pairing/cpace';
import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LIFE_MS } from '../../../electron/core/pairing/codes';
import { listSatellites, recordSatelliteContact, registerSatellite, verifySatelliteCredential } from '../../../electron/core/pairing/satellites';
import { bootTestKiosk, type TestKiosk } from '../../support/core';

const HUB_FP = 'AA:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF';
const MITM_FP = 'BB:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF';

let kiosk: TestKiosk;
afterEach(() => kiosk?.close());

async function hubWithCode() {
  kiosk = bootTestKiosk();
  setHubIdentity(kiosk.core, { fingerprint: HUB_FP, addresses: ['https://192.0.2.10:4780'] });
  const owner = kiosk.caller(await kiosk.staffToken('482916'));
  const issued = await owner.satellite.createCode();
  return { owner, issued };
}

const nonce = () => randomBytes(32).toString('base64url');
type Refusal = { code?: string; data?: { code?: string }; cause?: { reason?: string } };
const refusal = (error: Refusal) => ({ ok: false as const, code: error.code ?? error.data?.code, reason: error.cause?.reason });

/**
 * Both rounds as a satellite (or a guesser) runs them: with the code it has and the
 * fingerprint it sees. With a wrong code no offer's proof holds, and it answers the first offer
 * anyway, as a guesser would (one online guess).
 */
async function pairAs(clientKey: string, code: string, fingerprint = HUB_FP, name = 'Gate B kiosk') {
  const n = nonce();
  const caller = kiosk.caller(undefined, clientKey, 'network');
  const side = cpaceSide(code, fingerprint, n);
  let offers: { share: string; confirm: string }[];
  try {
    ({ offers } = await caller.satellite.pairStart({ name, nonce: n, share: side.share }));
  } catch (error) {
    return refusal(error as Refusal);
  }
  const keys = offers.map((offer) => {
    const transcript = { satelliteShare: side.share, hubShare: offer.share };
    const isk = side.agree(offer.share, transcript)!;
    return { isk, transcript, hubProved: sameMac(cpaceConfirm(isk, 'hub', transcript), offer.confirm) };
  });
  const chosen = Math.max(
    0,
    keys.findIndex((key) => key.hubProved),
  );
  const { isk, transcript, hubProved } = keys[chosen]!;
  try {
    const grant = await caller.satellite.pair({ nonce: n, offer: chosen, confirm: cpaceConfirm(isk, 'satellite', transcript) });
    return { ok: true as const, grant, isk, hubProved };
  } catch (error) {
    return { ...refusal(error as Refusal), hubProved };
  }
}

describe('pairing codes', () => {
  it('issues an 8-character code from the unambiguous alphabet, valid 10 minutes, with the fingerprint and address', async () => {
    const { issued } = await hubWithCode();
    expect(issued.code).toMatch(new RegExp(`^[${PAIRING_CODE_ALPHABET}]{8}$`));
    expect(Date.parse(issued.expiresAt) - kiosk.clock.now()).toBe(PAIRING_CODE_LIFE_MS);
    expect(issued.fingerprint).toBe(HUB_FP);
    expect(issued.shortFingerprint).toBe('AA11 2233 4455 6677');
    expect(issued.addresses).toEqual(['https://192.0.2.10:4780']);
  });

  it('pairs once: the hub proves the code back, the credential works, and the same code is refused the second time', async () => {
    const { issued } = await hubWithCode();
    const first = await pairAs('10.0.0.21', issued.code.toLowerCase().replace(/(.{4})/, '$1-')); // typed in lower case with a dash
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.hubProved).toBe(true);
    expect(sameMac(grantConfirm(first.isk, first.grant.satelliteId, first.grant.credential), first.grant.grantConfirm)).toBe(true);
    expect(Buffer.from(first.grant.credential, 'base64url')).toHaveLength(32);
    expect(verifySatelliteCredential(kiosk.core, first.grant.credential)).toEqual({ id: first.grant.satelliteId, name: 'Gate B kiosk' });
    const again = await pairAs('10.0.0.21', issued.code);
    expect(again).toMatchObject({ ok: false, code: 'FORBIDDEN', reason: 'PAIRING_REFUSED' });
    // The code is not in the audit log (which can be exported); the pairing is.
    const audit = kiosk.core.db.sqlite.prepare('SELECT action, detail FROM audit_log WHERE action LIKE ?').all('satellite.%') as {
      action: string;
      detail: string;
    }[];
    expect(audit.map((row) => row.action)).toEqual(['satellite.code_created', 'satellite.paired', 'satellite.pair_failed']);
    expect(JSON.stringify(audit)).not.toContain(issued.code);
  });

  it('refuses a code after its 10 minutes', async () => {
    const { issued } = await hubWithCode();
    kiosk.clock.advance(PAIRING_CODE_LIFE_MS);
    expect(await pairAs('10.0.0.22', issued.code)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    expect(listSatellites(kiosk.core)).toEqual([]);
  });

  it('refuses a wrong code, and the right code over another fingerprint (a man in the middle)', async () => {
    const { issued } = await hubWithCode();
    const wrong = issued.code.startsWith('A') ? `B${issued.code.slice(1)}` : `A${issued.code.slice(1)}`;
    // Neither side's proof holds: the satellite learns the hub does not know its code, the hub refuses.
    expect(await pairAs('10.0.0.23', wrong)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED', hubProved: false });
    expect(await pairAs('10.0.0.24', issued.code, MITM_FP)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED', hubProved: false });
    // The code itself was not used up by either: the real satellite still pairs.
    expect(await pairAs('10.0.0.25', issued.code)).toMatchObject({ ok: true });
  });

  it('needs a hub serving TLS to issue codes or pair', async () => {
    kiosk = bootTestKiosk();
    const owner = kiosk.caller(await kiosk.staffToken('482916'));
    await expect(owner.satellite.createCode()).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', cause: { reason: 'PAIRING_NEEDS_TLS' } });
    await expect(owner.satellite.hubInfo()).resolves.toMatchObject({ tls: false });
  });

  it('slows one guesser with growing delays, and burns every live code after 10 wrong proofs from many addresses', async () => {
    const { owner, issued } = await hubWithCode();
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const result = await pairAs('10.0.0.66', 'QQQQQQQQ');
      outcomes.push(result.ok ? 'ok' : result.code!);
    }
    // 3 free wrong tries, the 4th starts a 2 s delay that the 5th runs into; even the right code waits.
    expect(outcomes).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'TOO_MANY_REQUESTS']);
    expect(await pairAs('10.0.0.66', issued.code)).toMatchObject({ ok: false, code: 'TOO_MANY_REQUESTS' });
    // Other addresses are not held up by that guesser, but all wrong proofs together (4 + 6 = 10) burn the live code.
    for (let i = 0; i < 6; i += 1) expect(await pairAs(`10.0.1.${i}`, 'WWWWWWWW')).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    expect(await pairAs('10.0.2.1', issued.code)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    const burned = kiosk.core.db.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'satellite.codes_burned'").get() as { n: number };
    expect(burned.n).toBe(1);
    // The owner makes a new code and pairing works again.
    const fresh = await owner.satellite.createCode();
    expect(await pairAs('10.0.2.2', fresh.code)).toMatchObject({ ok: true });
  });
});

describe('the pairing exchange', () => {
  it('sends nothing that depends on the code alone: the same code gives other shares and proofs in each exchange', async () => {
    const { issued } = await hubWithCode();
    const caller = kiosk.caller(undefined, '10.0.3.1', 'network');
    const n = nonce();
    const one = await caller.satellite.pairStart({ name: 'A', nonce: n, share: cpaceSide(issued.code, HUB_FP, n).share });
    const m = nonce();
    const two = await caller.satellite.pairStart({ name: 'A', nonce: m, share: cpaceSide(issued.code, HUB_FP, m).share });
    expect(one.offers[0]!.share).not.toBe(two.offers[0]!.share);
    expect(one.offers[0]!.confirm).not.toBe(two.offers[0]!.confirm);
    // Two sides with the same code and session agree on one key; another code, or another fingerprint, does not.
    const a = cpaceSide(issued.code, HUB_FP, n);
    const b = cpaceSide(issued.code.toLowerCase(), HUB_FP, n);
    const c = cpaceSide(issued.code, MITM_FP, n);
    const t = { satelliteShare: a.share, hubShare: b.share };
    expect(a.agree(b.share, t)!.equals(b.agree(a.share, t)!)).toBe(true);
    expect(a.agree(c.share, { satelliteShare: a.share, hubShare: c.share })!.equals(c.agree(a.share, { satelliteShare: a.share, hubShare: c.share })!)).toBe(
      false,
    );
  });

  it('refuses a session replayed, a share that is not a point, an offer that does not exist, and answers after the minute', async () => {
    const { issued } = await hubWithCode();
    // Each from its own address (three tries from one start the delays).
    let address = 0;
    const from = () => kiosk.caller(undefined, `10.0.3.${(address += 1)}`, 'network');
    const caller = from();
    const n = nonce();
    const side = cpaceSide(issued.code, HUB_FP, n);
    const { offers } = await caller.satellite.pairStart({ name: 'A', nonce: n, share: side.share });
    await expect(from().satellite.pairStart({ name: 'A', nonce: n, share: side.share })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(from().satellite.pairStart({ name: 'A', nonce: nonce(), share: 'ff'.repeat(32) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(from().satellite.pairStart({ name: 'A', nonce: nonce(), share: '00'.repeat(32) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(from().satellite.pairStart({ name: 'A', nonce: nonce(), share: 'xyz' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const transcript = { satelliteShare: side.share, hubShare: offers[0]!.share };
    const confirm = cpaceConfirm(side.agree(offers[0]!.share, transcript)!, 'satellite', transcript);
    await expect(caller.satellite.pair({ nonce: n, offer: 5, confirm })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // That was this exchange's one try: the right answer now is refused too.
    await expect(caller.satellite.pair({ nonce: n, offer: 0, confirm })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const m = nonce();
    const late = cpaceSide(issued.code, HUB_FP, m);
    const started = await from().satellite.pairStart({ name: 'A', nonce: m, share: late.share });
    kiosk.clock.advance(60_000);
    const lateTranscript = { satelliteShare: late.share, hubShare: started.offers[0]!.share };
    await expect(
      caller.satellite.pair({ nonce: m, offer: 0, confirm: cpaceConfirm(late.agree(started.offers[0]!.share, lateTranscript)!, 'satellite', lateTranscript) }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(listSatellites(kiosk.core)).toEqual([]);
  });

  it('counts an exchange started and never finished as a try (a guesser checking the hub’s proofs)', async () => {
    const { issued } = await hubWithCode();
    const start = (i: number) => {
      const n = nonce();
      return kiosk.caller(undefined, `10.0.4.${i}`, 'network').satellite.pairStart({ name: 'A', nonce: n, share: cpaceSide('QQQQQQQQ', HUB_FP, n).share });
    };
    for (let i = 0; i < 9; i += 1) expect((await start(i)).offers).toHaveLength(1);
    // The tenth try inside the code's life burns it: that exchange, and the right code after it, are refused.
    await expect(start(9)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await pairAs('10.0.5.1', issued.code)).toMatchObject({ ok: false, reason: 'PAIRING_REFUSED' });
    const burned = kiosk.core.db.sqlite.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'satellite.codes_burned'").get() as { n: number };
    expect(burned.n).toBe(1);
  });
});

describe('satellites', () => {
  it('revoking makes the credential UNAUTHORIZED at once, and is audited', async () => {
    const { owner, issued } = await hubWithCode();
    const paired = await pairAs('10.0.0.30', issued.code);
    if (!paired.ok) throw new Error('pairing failed');
    const satellite = kiosk.caller(undefined, '10.0.0.30', 'network', paired.grant.credential);
    await expect(satellite.satellite.whoami()).resolves.toEqual({ id: paired.grant.satelliteId, name: 'Gate B kiosk' });
    await expect(kiosk.caller(undefined, '10.0.0.30', 'network', 'not-a-credential').satellite.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const revoked = await owner.satellite.revoke({ id: paired.grant.satelliteId });
    expect(revoked.connection).toBe('revoked');
    await expect(satellite.satellite.whoami()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(verifySatelliteCredential(kiosk.core, paired.grant.credential)).toBeNull();
    const audit = kiosk.core.db.sqlite.prepare("SELECT actor, detail FROM audit_log WHERE action = 'satellite.revoked'").all() as {
      actor: string;
      detail: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('Owner');
  });

  it('lists each satellite with its last report, and says when contact is lost', async () => {
    kiosk = bootTestKiosk();
    const gate = registerSatellite(kiosk.core, { name: 'Gate A' });
    registerSatellite(kiosk.core, { name: 'Gate B' });
    recordSatelliteContact(kiosk.core, gate.id, { state: 'offline-leases', journalBacklog: 3, leasedSlots: 2 });
    const staff = kiosk.caller(await kiosk.staffToken('482916'));
    const listed = await staff.satellite.list();
    const a = listed.find((s) => s.name === 'Gate A')!;
    expect(a).toMatchObject({ connection: 'connected', report: { state: 'offline-leases', journalBacklog: 3, leasedSlots: 2 } });
    expect(a.lastContactAt).toBe(new Date(kiosk.clock.now()).toISOString());
    expect(listed.find((s) => s.name === 'Gate B')).toMatchObject({ connection: 'never', report: null });
    kiosk.clock.advance(60_000);
    expect((await staff.satellite.list()).find((s) => s.name === 'Gate A')!.connection).toBe('lost');
  });

  it('answers link.status as a single kiosk when no satellite runtime is attached', async () => {
    kiosk = bootTestKiosk();
    await expect(kiosk.caller().link.status()).resolves.toEqual({
      role: 'single',
      state: 'online',
      hubUrl: null,
      leasedSlotIds: [],
      leaseExpiresAt: null,
      journalBacklog: 0,
      lastHubContactAt: null,
    });
  });
});
