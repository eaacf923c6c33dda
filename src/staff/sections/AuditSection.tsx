import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { useMessages } from '../../i18n';
import { useStaffConsole } from '../../stores/staffConsole';
import { downloadText } from '../download';
import { formatDateTimeSeconds } from '../format';
import { ErrorNote } from '../ui/Notice';
import { Pager } from '../ui/Pager';
import type { Lot } from '../../lib/api-types';
import { auditWords, isFailure } from './auditWords';

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

export function AuditSection({ lot }: { lot: Lot }) {
  const trpc = useTRPC();
  const { t } = useMessages();
  const words = t.console.audit;
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
            {log.data?.items.map((e) => {
              const { sentence, fields } = auditWords(words, e, lot.currency);
              const failed = isFailure(e.action);
              return (
                <tr key={e.id} data-action={e.action} className={failed ? 'audit-failure' : undefined}>
                  <td className="nowrap">{formatDateTimeSeconds(e.at)}</td>
                  <td className="strong">{e.actor === 'unknown' ? words.someone : e.actor}</td>
                  <td>
                    <span className={`action ${failed ? 'action-failed' : `action-${e.action.split('.')[0]}`}`}>
                      {failed && <span className="visually-hidden">{words.failed}: </span>}
                      {sentence}
                    </span>
                  </td>
                  <td className="detail">
                    {fields.length === 0 ? (
                      <span className="muted">{words.noDetails}</span>
                    ) : (
                      <dl className="audit-fields">
                        {fields.map((field) => (
                          <div key={field.key} data-field={field.key}>
                            <dt>{field.label}</dt>
                            <dd>{field.value}</dd>
                          </div>
                        ))}
                      </dl>
                    )}
                  </td>
                </tr>
              );
            })}
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
        <Pager
          page={auditCursors.length}
          hasNext={!!log.data?.nextCursor}
          onPrevious={previousAuditPage}
          onNext={() => log.data?.nextCursor && nextAuditPage(log.data.nextCursor)}
        />
      </div>
    </section>
  );
}
