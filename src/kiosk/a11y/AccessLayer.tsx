import { useKioskScreen } from '../../stores/kioskFlow';
import { DimGuard } from './DimGuard';
import { SpeechController } from './SpeechController';
import { useDisplayModes } from './useDisplayModes';
import { useKeypad } from './useKeypad';

/**
 * Everything of a11y/ that is not a control on screen: the keypad, the display modes, speech
 * following the driver, and the sleep layer. Mounted once inside the kiosk (before its own
 * key and touch listeners, so a key that wakes the kiosk does nothing else).
 */
export function AccessLayer() {
  useKeypad();
  useDisplayModes();
  const atRest = useKioskScreen() === 'home';
  return (
    <>
      <SpeechController />
      <DimGuard atRest={atRest} />
    </>
  );
}
