import { useEffect, useRef } from 'react';
import { fill, useMessages } from '../i18n';
import { useKioskFlow } from '../stores/kioskFlow';
import { IDLE_AFTER_MS, IDLE_WARNING_MS, useKioskIdle } from '../stores/kioskIdle';
import { useKioskLanguage } from '../stores/kioskLanguage';
import { useNow } from './data';
import { useResetKiosk } from './useResetKiosk';

/**
 * After a minute without a touch the kiosk asks "Still there?" with a countdown, then starts
 * over for the next driver (forgetting the booking it had open). Any touch answers it.
 */
export function IdleGuard() {
  const { t } = useMessages();
  const now = useNow(500);
  const lastTouchAt = useKioskIdle((state) => state.lastTouchAt);
  const touch = useKioskIdle((state) => state.touch);
  const screen = useKioskFlow((state) => state.screen);
  const language = useKioskLanguage((state) => state.language);
  const reset = useResetKiosk();
  const stayButton = useRef<HTMLButtonElement>(null);

  const atRest = screen === 'home' && language === 'en';
  const idleFor = now - lastTouchAt;
  const warning = !atRest && idleFor >= IDLE_AFTER_MS;
  const expired = !atRest && idleFor >= IDLE_AFTER_MS + IDLE_WARNING_MS;

  useEffect(() => {
    if (expired) reset();
  }, [expired, reset]);
  useEffect(() => {
    if (warning) stayButton.current?.focus();
  }, [warning]);

  if (!warning || expired) return null;
  const secondsLeft = Math.max(1, Math.ceil((IDLE_AFTER_MS + IDLE_WARNING_MS - idleFor) / 1000));
  return (
    <div className="modal-backdrop idle-backdrop" data-idle-warning onClick={touch}>
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-body">
        <h2 id="idle-title">{t.idle.title}</h2>
        <p className="idle-seconds" aria-hidden="true">{secondsLeft}</p>
        <p id="idle-body">{fill(t.idle.body, { seconds: secondsLeft })}</p>
        <button ref={stayButton} type="button" className="button primary" onClick={touch}>
          {t.idle.stay}
        </button>
      </div>
    </div>
  );
}
