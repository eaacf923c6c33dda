import { useEffect, useRef } from 'react';
import { serverClock } from '../lib/server-clock';
import { useTRPCClient } from '../api/trpc';
import { errorCode, errorReason } from '../lib/errors';
import { useKioskFlow, useKioskScreen, type KioskScreen } from '../stores/kioskFlow';
import { useKioskIdle } from '../stores/kioskIdle';
import { useSlotHold } from '../stores/slotHold';

/**
 * Renew at most this often while the driver keeps touching the screen, on the server's clock:
 * the clock the hold expires on (and the one tests move with KIOSK_TEST_CLOCK).
 */
const RENEW_EVERY_MS = 20_000;
const HOLDING_SCREENS: ReadonlySet<KioskScreen> = new Set(['slots', 'vehicle', 'confirm']);

/**
 * Keeps the database's hold in step with the driver (issue 13): choosing a slot holds it,
 * choosing another moves the hold, every touch keeps it (renewed at most every 20 s), and
 * leaving the flow (Back to the start, idle reset, the booking made) lets it go. The server
 * decides everything; this only asks.
 */
export function useSlotHoldKeeper() {
  const client = useTRPCClient();
  const screen = useKioskScreen();
  const selectedSlotId = useKioskFlow((state) => state.selectedSlotId);
  const wanted = HOLDING_SCREENS.has(screen) ? selectedSlotId : null;
  const lastRenew = useRef(0);

  useEffect(() => {
    const hold = useSlotHold.getState();
    if (hold.slotId === wanted) return;
    if (hold.token) void client.slot.releaseHold.mutate({ holdToken: hold.token }).catch(() => undefined);
    if (wanted === null) return hold.clear();
    hold.asking(wanted);
    lastRenew.current = serverClock.now();
    client.slot.hold.mutate({ slotId: wanted }).then(
      (granted) => {
        // The driver moved on while we asked: let this one go at once.
        if (useSlotHold.getState().slotId !== wanted) return void client.slot.releaseHold.mutate({ holdToken: granted.holdToken }).catch(() => undefined);
        useSlotHold.getState().granted(wanted, granted.holdToken);
      },
      (error) => {
        if (useSlotHold.getState().slotId !== wanted) return;
        // Someone else is booking it (or just booked it): the choice is let go and the map says why.
        if (errorCode(error) === 'CONFLICT' || errorCode(error) === 'PRECONDITION_FAILED') {
          useSlotHold.getState().refused(wanted);
          if (useKioskFlow.getState().selectedSlotId === wanted) useKioskFlow.getState().selectSlot(null);
        }
        // Out of reach: keep the choice without a hold; the booking itself is still guarded.
      },
    );
  }, [wanted, client]);

  useEffect(
    () =>
      useKioskIdle.subscribe((idle, before) => {
        if (idle.lastTouchAt === before.lastTouchAt) return;
        const { token, lost } = useSlotHold.getState();
        if (!token || lost || serverClock.now() - lastRenew.current < RENEW_EVERY_MS) return;
        lastRenew.current = serverClock.now();
        client.slot.renewHold.mutate({ holdToken: token }).catch((error) => {
          if (useSlotHold.getState().token === token && errorReason(error) === 'HOLD_EXPIRED') useSlotHold.getState().markLost();
        });
      }),
    [client],
  );
}
