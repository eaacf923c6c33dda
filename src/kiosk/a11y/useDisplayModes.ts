import { useEffect } from 'react';
import { useKioskAccess } from '../../stores/kioskAccess';

/** High contrast and large text as classes on <html> (styles/kiosk-a11y.css), so every screen, dialog and keyboard follows. */
export function useDisplayModes() {
  const contrast = useKioskAccess((state) => state.contrast);
  const largeText = useKioskAccess((state) => state.largeText);
  useEffect(() => {
    const root = document.documentElement.classList;
    root.toggle('kiosk-contrast', contrast);
    root.toggle('kiosk-large', largeText);
    return () => {
      root.remove('kiosk-contrast', 'kiosk-large');
    };
  }, [contrast, largeText]);
}
