import { useRef } from 'react';
import Keyboard from 'react-simple-keyboard';
import 'react-simple-keyboard/build/css/index.css';
import { useMessages } from '../../i18n';

const LAYOUT = {
  default: ['1 2 3 4 5 6 7 8 9 0', 'Q W E R T Y U I O P', 'A S D F G H J K L -', 'Z X C V B N M {bksp}', '{space} {clear}'],
};

/**
 * The on-screen keyboard for vehicle numbers and references: letters, digits, hyphen and
 * space only, finger-sized keys rendered as real <button>s so screen readers name them.
 */
export function PlateKeyboard({ value, onChange, maxLength, label }: { value: string; onChange(next: string): void; maxLength: number; label: string }) {
  const { t } = useMessages();
  // The library keeps the first handler it was given, so the handler reads the latest props from a ref.
  const latest = useRef({ value, onChange, maxLength });
  latest.current = { value, onChange, maxLength };
  const press = (button: string) => {
    const { value, onChange, maxLength } = latest.current;
    if (button === '{bksp}') onChange(value.slice(0, -1));
    else if (button === '{clear}') onChange('');
    else if (value.length >= maxLength) return;
    else if (button === '{space}') onChange(`${value} `);
    else onChange(value + button);
  };
  return (
    <div className="plate-keyboard" role="group" aria-label={label}>
      <Keyboard
        layout={LAYOUT}
        display={{ '{bksp}': `⌫ ${t.keys.backspace}`, '{space}': t.keys.space, '{clear}': t.keys.clear }}
        onKeyPress={press}
        useButtonTag
        disableButtonHold
        preventMouseDownDefault
        theme="hg-theme-default kiosk-keys"
        buttonTheme={[{ class: 'key-wide', buttons: '{bksp} {space} {clear}' }]}
      />
    </div>
  );
}
