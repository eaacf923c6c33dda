import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { useStaffConsole } from '../../stores/staffConsole';
import { downloadText } from '../download';
import { formatDateTimeSeconds } from '../format';
import { ErrorNote } from '../ui/Notice';
import { Pager } from '../ui/Pager';

const ACTIONS: { id: string; label: string }[] = [
  { id: '', label: 'All actions' },
  { id: 'auth', label: 'Logins' },
  { id: 'booking', label: 'Booking changes' },
  { id: 'slot', label: 'Slot changes' },
  { id: 'price', label: 'Price changes' },
  { id: 'settings', label: 'Settings' },
  { id: 'staff', label: 'Staff changes' },
  { id: 'export', label: 'Exports' },
];

const LABELS: Record<string, string> = {
  'auth.login': 'Logged in',
  'booking.cancel': 'Cancelled a booking',
  'slot.add': 'Added a slot',
  'slot.update': 'Changed a slot',
  'slot.disable': 'Closed a slot',
  'slot.enable': 'Reopened a slot',
  'slot.delete': 'Deleted a slot',
  'price.slot': 'Changed a slot price',
  'price.lot': 'Changed lot prices',
  'settings.lot': 'Changed lot settings',
  'staff.add': 'Added staff',
  'staff.deactivate': 'Deactivated staff',
  'export.bookings': 'Exported bookings',
  'export.audit': 'Exported the audit log',
};

const money = (minor: unknown) => (typeof minor === 'number' ? (minor / 100).toFixed(2) : String(minor));

/** A short human line for an entry's detail. */
function describe(action: string, detail: Record<string, unknown>): string {
  const changes = detail.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  const changeText = changes
    ? Object.entries(changes)
        .map(([key, c]) => {
          const isMoney = /price/i.test(key);
          const name = { hourlyPrice: 'price/h', carWashPrice: 'car wash', bookingMinutes: 'duration (min)', label: 'label', vehicleType: 'type' }[key] ?? key;
          return `${name} ${isMoney ? money(c.from) : String(c.from)} → ${isMoney ? money(c.to) : String(c.to)}`;
        })
        .join(', ')
    : '';
  switch (action) {
    case 'auth.login':
      return `from ${String(detail.client ?? 'unknown')}`;
    case 'booking.cancel':
      return `${String(detail.reference)}${detail.reason ? ` — “${String(detail.reason)}”` : ''}`;
    case 'slot.add':
      return `${String(detail.label)} (${String(detail.vehicleType)}, ${money(detail.hourlyPrice)}/h)`;
    case 'slot.disable': {
      const cancelled = Array.isArray(detail.cancelled) ? (detail.cancelled as string[]) : [];
      if (detail.activeBookings === 'cancel') return `${String(detail.label)} — cancelled ${cancelled.join(', ')}${detail.reason ? ` (“${String(detail.reason)}”)` : ''}`;
      if (detail.activeBookings === 'keep') return `${String(detail.label)} — active bookings kept running`;
      return String(detail.label);
    }
    case 'slot.enable':
    case 'slot.delete':
      return String(detail.label);
    case 'price.slot':
    case 'slot.update':
      return `${String(detail.label)}: ${changeText}`;
    case 'price.lot':
    case 'settings.lot':
      return changeText;
    case 'staff.add':
    case 'staff.deactivate':
      return `${String(detail.name)} (${String(detail.role)})`;
    case 'export.bookings':
    case 'export.audit':
      return `${String(detail.rows)} rows`;
    default:
      return JSON.stringify(detail);
  }
}

export function AuditSection() {
  const trpc = useTRPC();
  const { auditAction, setAuditAction, auditCursors, nextAuditPage, previousAuditPage } = useStaffConsole();
  const cursor = auditCursors[auditCursors.length - 1] ?? null;
  const filter = { action: auditAction || undefined };
  const log = useQuery({ ...trpc.audit.list.queryOptions({ ...filter, cursor, limit: 50 }), placeholderData: keepPreviousData });
  const exportCsv = useMutation(trpc.audit.csv.mutationOptions({ onSuccess: (r) => downloadText(r.filename, r.csv) }));
  return (
    <section className="section" aria-label="Audit log">
      <div className="section-head">
        <h1>Audit log</h1>
        <div className="toolbar compact">
          <label className="inline-field">
            <span>Show</span>
            <select aria-label="Action" value={auditAction} onChange={(e) => setAuditAction(e.target.value)}>
              {ACTIONS.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => exportCsv.mutate(filter)} disabled={exportCsv.isPending}>
            Export CSV
          </button>
        </div>
      </div>
      <ErrorNote error={log.error ?? exportCsv.error} />
      <div className="table-wrap">
        <table className="data-table audit-table" aria-label="Audit log">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {log.data?.items.map((e) => (
              <tr key={e.id} data-action={e.action}>
                <td className="nowrap">{formatDateTimeSeconds(e.at)}</td>
                <td className="strong">{e.actor}</td>
                <td className="nowrap">
                  <span className={`action action-${e.action.split('.')[0]}`}>{LABELS[e.action] ?? e.action}</span>
                </td>
                <td className="detail">{describe(e.action, e.detail)}</td>
              </tr>
            ))}
            {log.data && log.data.items.length === 0 && (
              <tr>
                <td colSpan={4} className="empty">
                  Nothing recorded yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="table-foot">
        <span className="muted">Every staff action is recorded with who and when. Entries cannot be edited.</span>
        <Pager page={auditCursors.length} hasNext={!!log.data?.nextCursor} onPrevious={previousAuditPage} onNext={() => log.data?.nextCursor && nextAuditPage(log.data.nextCursor)} />
      </div>
    </section>
  );
}
