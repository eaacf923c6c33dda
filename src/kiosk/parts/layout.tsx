import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { fill, useMessages } from '../../i18n';
import { useTapShield } from '../../stores/tapShield';

/** Where the driver is in the three booking steps. */
export function Steps({ current }: { current: 1 | 2 | 3 }) {
  const { t } = useMessages();
  const names = [t.steps.slot, t.steps.vehicle, t.steps.confirm];
  return (
    <ol className="steps" aria-label={fill(t.steps.label, { n: current })}>
      {names.map((name, index) => (
        <li
          key={name}
          className={index + 1 === current ? 'step current' : index + 1 < current ? 'step done' : 'step'}
          aria-current={index + 1 === current ? 'step' : undefined}
        >
          <span className="step-number" aria-hidden="true">
            {index + 1}
          </span>
          {name}
        </li>
      ))}
    </ol>
  );
}

/** A screen: title on top, content in the middle (scrolls if it must), actions pinned at the bottom. */
export function Screen({
  title,
  steps,
  children,
  actions,
  className,
}: {
  title: string;
  steps?: 1 | 2 | 3;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  const heading = useScreenEntry();
  return (
    <section className={`screen ${className ?? ''}`} aria-labelledby="screen-title">
      <div className="screen-head">
        {steps && <Steps current={steps} />}
        <h1 id="screen-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
      </div>
      <div className="screen-body">{children}</div>
      {actions && <div className="action-bar">{actions}</div>}
    </section>
  );
}

/**
 * Every screen calls this as it appears: taps are ignored for a moment (the tap shield), so the
 * second tap of a double tap cannot act on a screen the driver has not seen; and screen readers
 * land on its title, not on a button that vanished.
 */
export function useScreenEntry() {
  const heading = useRef<HTMLHeadingElement>(null);
  // Before paint, so not one frame of the new screen takes taps.
  useLayoutEffect(() => useTapShield.getState().raise(), []);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return heading;
}

/** Raises the tap shield when a dialog opens over a screen (its buttons are new under the finger too). */
export function useDialogEntry(open: boolean) {
  useLayoutEffect(() => {
    if (open) useTapShield.getState().raise();
  }, [open]);
}

/**
 * A transparent layer over the whole kiosk while the shield is up: a tap lands on it and does
 * nothing. One mechanism for every screen, and it cannot be bypassed by a handler that forgot.
 */
export function TapShield() {
  const up = useTapShield((state) => state.up);
  return up ? <div className="tap-shield" aria-hidden="true" data-testid="tap-shield" /> : null;
}
