/** Line icons for the status screens (no emoji fonts on a kiosk). */
const PATHS = {
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M12 7v5l3 2',
  cross: 'M7 7l10 10 M17 7L7 17',
  check: 'M5 12.5l4.5 4.5L19 7.5',
} as const;

export function StatusIcon({ kind }: { kind: keyof typeof PATHS }) {
  return (
    <svg className="status-svg" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[kind]} fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
