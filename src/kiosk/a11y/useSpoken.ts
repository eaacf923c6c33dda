import { useEffect } from 'react';
import { useKioskSpoken } from '../../stores/kioskSpoken';

/**
 * The one place a screen (or a dialog) says what it reads aloud: its key (which screen this
 * is) and its text in the current language. The Speak control reads it; while speech is on a
 * new key is read at once (a11y/SpeechController.tsx).
 */
export function useSpoken(key: string, text: string, layer: 'screen' | 'dialog' = 'screen', active = true) {
  const set = useKioskSpoken((state) => state.set);
  useEffect(() => {
    if (!active) return undefined;
    set(layer, { key, text });
    return undefined;
  }, [key, text, layer, active, set]);
  // Gone from screen: the entry goes with it (unless another screen already took the layer).
  useEffect(() => {
    if (!active) return undefined;
    return () => {
      if (useKioskSpoken.getState()[layer]?.key === key) set(layer, null);
    };
  }, [key, layer, active, set]);
}
