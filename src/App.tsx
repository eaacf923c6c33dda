import { useSyncExternalStore } from 'react';
import { KioskApp } from './kiosk/KioskApp';
import { StaffApp } from './staff/StaffApp';

const subscribeHash = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** `#/staff` opens the staff console; everything else is the driver's kiosk. */
export function App() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  return hash.startsWith('#/staff') ? <StaffApp /> : <KioskApp />;
}
