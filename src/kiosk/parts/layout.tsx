import { useEffect, useRef, type ReactNode } from 'react';
import { fill, useMessages } from '../../i18n';

/** Where the driver is in the three booking steps. */
export function Steps({ current }: { current: 1 | 2 | 3 }) {
  const { t } = useMessages();
  const names = [t.steps.slot, t.steps.vehicle, t.steps.confirm];
  return (
    <ol className="steps" aria-label={fill(t.steps.label, { n: current })}>
      {names.map((name, index) => (
        <li key={name} className={index + 1 === current ? 'step current' : index + 1 < current ? 'step done' : 'step'} aria-current={index + 1 === current ? 'step' : undefined}>
          <span className="step-number" aria-hidden="true">{index + 1}</span>
          {name}
        </li>
      ))}
    </ol>
  );
}

/** A screen: title on top, content in the middle (scrolls if it must), actions pinned at the bottom. */
export function Screen({ title, steps, children, actions, className }: { title: string; steps?: 1 | 2 | 3; children: ReactNode; actions?: ReactNode; className?: string }) {
  const heading = useTitleFocus();
  return (
    <section className={`screen ${className ?? ''}`} aria-labelledby="screen-title">
      <div className="screen-head">
        {steps && <Steps current={steps} />}
        <h1 id="screen-title" ref={heading} tabIndex={-1}>{title}</h1>
      </div>
      <div className="screen-body">{children}</div>
      {actions && <div className="action-bar">{actions}</div>}
    </section>
  );
}

/** A new screen is announced: screen readers land on its title, not on a button that vanished. */
export function useTitleFocus() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return heading;
}
