import { useEffect } from 'react';
import { useMessages } from '../../i18n';
import { useKioskAccess } from '../../stores/kioskAccess';
import { useKioskIdle } from '../../stores/kioskIdle';
import { useTapShield } from '../../stores/tapShield';
import { useNow } from '../../lib/server-clock';

/** The home screen at rest dims after this long without a touch (saves the panel, says "touch to start"). */
export const DIM_AFTER_MS = 120_000;

/** Wakes the kiosk: the touch or key that did it does nothing else (the tap shield catches a second tap). */
export function wake() {
  useKioskAccess.getState().setDimmed(false);
  useKioskIdle.getState().touch();
  useTapShield.getState().raise();
}

/**
 * A dimmed kiosk is asleep: a layer over everything takes the first touch and only wakes the
 * screen, so a driver who touches where a button is does not press it unseen. Keys are
 * handled the same way by the keypad (a11y/useKeypad.ts).
 */
export function DimGuard({ atRest }: { atRest: boolean }) {
  const { t } = useMessages();
  const now = useNow(1000);
  const lastTouchAt = useKioskIdle((state) => state.lastTouchAt);
  const dimmed = useKioskAccess((state) => state.dimmed);
  const setDimmed = useKioskAccess((state) => state.setDimmed);
  const due = atRest && now - lastTouchAt >= DIM_AFTER_MS;
  useEffect(() => {
    if (due && !dimmed) setDimmed(true);
  }, [due, dimmed, setDimmed]);
  if (!dimmed) return null;
  return (
    <div
      className="dim-layer"
      data-testid="dim-layer"
      data-idle-warning
      // The whole gesture lands here (down, up, click); it is removed only at the click, so
      // nothing under it ever receives a click of this touch.
      onPointerDown={(event) => event.preventDefault()}
      onClick={wake}
    >
      <p className="dim-text">{t.a11y.wake}</p>
    </div>
  );
}
