import { createCallerFactory } from '../../electron/api/trpc';
import { fullRouter } from '../../electron/api/router';
import { createApiContext, type ClientOrigin } from '../../electron/api/context';
import { bootKiosk, type BootedKiosk } from '../../electron/app/boot';
import { AdjustableClock } from '../../electron/core/shared/clock';
import { tempDbFile } from './server';

export const T0 = Date.parse('2026-01-15T14:00:00.000Z');
export const HOUR = 60 * 60 * 1000;

/** An in-process kiosk on a real SQLite file, with a hand-moved clock starting at T0. */
export function bootTestKiosk(options: { dbFile?: string; demo?: boolean; staffPin?: string; graceMinutes?: number } = {}) {
  const clock = new AdjustableClock({ now: () => T0 });
  const dbFile = options.dbFile ?? tempDbFile();
  const kiosk: BootedKiosk = bootKiosk({ dbFile, demo: options.demo ?? true, staffPin: options.staffPin ?? '482916', clock });
  kiosk.core.expiry.stop();
  // Tests whose subject is not the grace period (issue 12: every lot has one, default 10
  // minutes) turn it off, so a slot frees at its booking's end as their model expects.
  if (options.graceMinutes !== undefined) kiosk.core.db.sqlite.prepare('UPDATE lots SET grace_minutes = ?').run(options.graceMinutes);
  const createCaller = createCallerFactory(fullRouter);
  const env = { core: kiosk.core, testClock: clock };
  return {
    ...kiosk,
    dbFile,
    clock,
    /**
     * A router caller as a given client: no token, a booking token or a staff token; from the
     * kiosk's own screen (default) or from the network (limits apply).
     */
    caller: (token?: string, clientKey = 'test', origin: ClientOrigin = 'screen', satelliteCredential?: string) =>
      createCaller(createApiContext(env, token, clientKey, origin, satelliteCredential)),
    async staffToken(pin = options.staffPin ?? '482916') {
      return (await createCaller(createApiContext(env, undefined, 'staff-login')).auth.login({ pin })).token;
    },
  };
}

export type TestKiosk = ReturnType<typeof bootTestKiosk>;
