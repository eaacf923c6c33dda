import { useEffect, useRef } from 'react';
import { fill, useMessages } from '../i18n';
import { useKioskScreen } from '../stores/kioskFlow';
import { IDLE_AFTER_MS, IDLE_WARNING_MS, useKioskIdle } from '../stores/kioskIdle';
import { useKioskLanguage } from '../stores/kioskLanguage';
import { useKioskAccess } from '../stores/kioskAccess';
import { spokenIdle } from './a11y/spokenText';
import { useSpoken } from './a11y/useSpoken';
import { useNow } from '../lib/server-clock';
import { useResetKiosk } from './useResetKiosk';

/**
 * After a minute without a touch the kiosk asks "Need more time?" with a 30 s countdown (WCAG
 * 2.2.1: at least 20 s to answer), then starts over for the next driver (forgetting the booking
 * it had open). Any touch or key answers it, and only answers it: nothing under it is pressed.
 */
export function IdleGuard() {
  const { t } = useMessages();
  const now = useNow(500);
  const lastTouchAt = useKioskIdle((state) => state.lastTouchAt);
  const touch = useKioskIdle((state) => state.touch);
  const screen = useKioskScreen();
  const language = useKioskLanguage((state) => state.language);
  const reset = useResetKiosk();
  const stayButton = useRef<HTMLButtonElement>(null);

  // Speech, contrast or large text left on counts as a driver's screen: it is reset too.
  const plain = useKioskAccess((state) => !state.speechOn && !state.contrast && !state.largeText);
  const atRest = screen === 'home' && language === 'en' && plain;
  const idleFor = now - lastTouchAt;
  const warning = !atRest && idleFor >= IDLE_AFTER_MS;
  const expired = !atRest && idleFor >= IDLE_AFTER_MS + IDLE_WARNING_MS;

  useEffect(() => {
    if (expired) reset();
  }, [expired, reset]);
  useEffect(() => {
    if (warning) stayButton.current?.focus();
  }, [warning]);

  const secondsLeft = Math.max(1, Math.ceil((IDLE_AFTER_MS + IDLE_WARNING_MS - idleFor) / 1000));
  // Read as it appears while speech is on, with the seconds it gives.
  useSpoken('idle', spokenIdle(t, IDLE_WARNING_MS / 1000), 'dialog', warning && !expired);
  if (!warning || expired) return null;
  return (
    <div className="modal-backdrop idle-backdrop" data-idle-warning onClick={touch}>
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-body">
        <h2 id="idle-title">{t.idle.title}</h2>
        <p className="idle-seconds" aria-hidden="true">
          {secondsLeft}
        </p>
        <p id="idle-body">{fill(t.idle.body, { seconds: secondsLeft })}</p>
        <button ref={stayButton} type="button" className="button primary idle-more" data-keypad-back onClick={touch}>
          {t.idle.stay}
        </button>
      </div>
    </div>
  );
}
