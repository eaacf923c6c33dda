import type { ReactNode } from 'react';
import { describeError, type ErrorContext } from '../../i18n/errors';
import { useMessages } from '../../i18n';

/** An error in plain words, always with a way forward (the actions passed in). */
export function ErrorPanel({ error, context, children }: { error: unknown; context?: ErrorContext; children?: ReactNode }) {
  const { t, language } = useMessages();
  const shown = describeError(error, t, language, context);
  return (
    <div className="error-panel" role="alert" data-code={shown.code}>
      <p className="error-title">{t.errors.title}</p>
      <p className="error-text">{shown.text}</p>
      {shown.detail && (
        <p className="error-detail" lang="en">
          {shown.detail}
        </p>
      )}
      {children && <div className="error-actions">{children}</div>}
    </div>
  );
}
