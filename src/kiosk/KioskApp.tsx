import { useEffect } from 'react';
import { useMessages } from '../i18n';
import { setLotTimeZone } from '../i18n/lotClock';
import { useKioskFlow, type KioskView } from '../stores/kioskFlow';
import type { Lot } from '../lib/api-types';
import { useKioskIdle } from '../stores/kioskIdle';
import '../styles/kiosk.css';
import '../styles/kiosk-a11y.css';
import { useConnection } from '../api/connection';
import { useKioskLot, useLotChanges } from './data';
import { useServerNow } from '../lib/server-clock';
import { IdleGuard } from './IdleGuard';
import { useReconnect } from './useReconnect';
import { useSlotHoldKeeper } from './useSlotHoldKeeper';
import { ErrorPanel } from './parts/ErrorPanel';
import { TapShield } from './parts/layout';
import { BookingScreen } from './screens/BookingScreen';
import { ConfirmScreen } from './screens/ConfirmScreen';
import { FindScreen } from './screens/FindScreen';
import { HomeScreen } from './screens/HomeScreen';
import { SlotScreen } from './screens/SlotScreen';
import { VehicleScreen } from './screens/VehicleScreen';
import { AccessBar } from './a11y/AccessBar';
import { AccessLayer } from './a11y/AccessLayer';
import { LinkBanner } from './parts/LinkBanner';
import { useLinkStatus } from './link';

/** Touchscreen manners: no context menu, no pinch or ctrl-wheel zoom, no dragging, and every touch counts as activity. */
function useKioskManners() {
  useEffect(() => {
    // A touch on the "Still there?" warning is answered by its own click handlers: removing the
    // warning on pointerdown would pull the button out from under the finger mid-tap.
    const touch = (event: Event) => {
      if (event.target instanceof Element && event.target.closest('[data-idle-warning]')) return;
      useKioskIdle.getState().touch();
    };
    const block = (event: Event) => event.preventDefault();
    const blockZoomWheel = (event: WheelEvent) => event.ctrlKey && event.preventDefault();
    const blockPinch = (event: TouchEvent) => event.touches.length > 1 && event.preventDefault();
    const options = { passive: false, capture: true } as const;
    window.addEventListener('pointerdown', touch, true);
    window.addEventListener('keydown', touch, true);
    document.addEventListener('contextmenu', block, true);
    document.addEventListener('dragstart', block, true);
    document.addEventListener('gesturestart', block, true);
    document.addEventListener('wheel', blockZoomWheel, options);
    document.addEventListener('touchmove', blockPinch, options);
    document.documentElement.classList.add('kiosk-mode');
    return () => {
      window.removeEventListener('pointerdown', touch, true);
      window.removeEventListener('keydown', touch, true);
      document.removeEventListener('contextmenu', block, true);
      document.removeEventListener('dragstart', block, true);
      document.removeEventListener('gesturestart', block, true);
      document.removeEventListener('wheel', blockZoomWheel, options);
      document.removeEventListener('touchmove', blockPinch, options);
      document.documentElement.classList.remove('kiosk-mode');
    };
  }, []);
}

/** The lot's time (the server's clock), so it agrees with every booking time on screen. */
function Clock() {
  const { f } = useMessages();
  return (
    <span className="top-clock" aria-hidden="true">
      {f.time(useServerNow(1000))}
    </span>
  );
}

/**
 * Says the kiosk cannot reach the booking system, in the top bar: the driver's flow below stays
 * exactly where it was (nothing moves, nothing is pushed off a full screen).
 */
function OfflineBanner() {
  const { t } = useMessages();
  const offline = useConnection((state) => state.offline);
  if (!offline) return null;
  return (
    <div className="offline-banner" role="status" data-testid="offline-banner">
      <strong>{t.offline.title}</strong>
      <span>{t.offline.body}</span>
    </div>
  );
}

/** The screen for the flow's view: every view has its screen, with what it needs (the compiler checks both). */
function ScreenFor({ view, lot }: { view: KioskView; lot: Lot }) {
  switch (view.screen) {
    case 'home':
      return <HomeScreen lot={lot} />;
    case 'slots':
      return <SlotScreen lot={lot} />;
    case 'vehicle':
      return <VehicleScreen lot={lot} />;
    case 'confirm':
      return <ConfirmScreen lot={lot} />;
    case 'find':
      return <FindScreen />;
    case 'booking':
      return <BookingScreen lot={lot} bookingId={view.bookingId} />;
  }
}

export function KioskApp() {
  useKioskManners();
  useLotChanges();
  useReconnect();
  useSlotHoldKeeper();
  const { t } = useMessages();
  const view = useKioskFlow((state) => state.view);
  const screen = view.screen;
  const { lot, isPending, error, refetch } = useKioskLot();
  // Every time on the kiosk is on the lot's clock (its zone), set before the screens below render.
  setLotTimeZone(lot?.timeZone);

  let body;
  // With a lot in hand the driver's screen stays, whatever the server does (the banner says
  // when it is out of reach). Only a kiosk that never got its lot shows the problem, and it
  // keeps asking by itself (useKioskLot), so no one has to tap "Try again".
  if (isPending)
    body = (
      <p className="loading" role="status">
        {t.home.loading}
      </p>
    );
  else if (error && !lot) {
    body = (
      <ErrorPanel error={error}>
        <button type="button" className="button primary" onClick={() => void refetch()}>
          {t.errors.tryAgain}
        </button>
      </ErrorPanel>
    );
  } else if (!lot)
    body = (
      <p className="loading" role="status">
        {t.home.noLot}
      </p>
    );
  else body = <ScreenFor view={view} lot={lot} />;

  const offline = useConnection((state) => state.offline);
  const link = useLinkStatus();
  return (
    <div className="kiosk" data-screen={screen} data-link-state={link?.state}>
      <header className={`top-bar${offline ? ' offline' : ''}${!offline && link && link.state !== 'online' ? ' with-link' : ''}`}>
        <span className="top-brand">
          <span className="brand-mark" aria-hidden="true">
            P
          </span>
          <span>{lot?.name ?? t.appName}</span>
        </span>
        <OfflineBanner />
        <Clock />
        {/* Under the bar in portrait, in its middle in landscape (issue 14; kiosk-link.css). */}
        {!offline && <LinkBanner link={link} lot={lot} />}
      </header>
      <main className="kiosk-main">{body}</main>
      {lot && <AccessBar />}
      <AccessLayer />
      <IdleGuard />
      <TapShield />
    </div>
  );
}
