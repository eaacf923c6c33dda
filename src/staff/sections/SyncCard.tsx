import { useQuery } from '@tanstack/react-query';
import type { DocumentKind } from '../../../shared/vocabulary';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { formatClock, formatFullDate } from '../format';

/** Issue 15: whether the lot's link to the central office is up, what waits, what came down. */
export function SyncCard() {
  const trpc = useTRPC();
  const c = useMessages().t.console.settings;
  // The worker's state lives in the server; a slow poll is enough for a health card.
  const status = useQuery({ ...trpc.sync.status.queryOptions(), refetchInterval: 10_000 });
  const data = status.data;
  if (!data) return null;
  return (
    <div className="card" aria-label={c.syncCard}>
      <h2>{c.syncCard}</h2>
      {!data.configured ? (
        <p className="muted">{c.syncOff}</p>
      ) : (
        <dl className="facts">
          <dt>{c.syncCard}</dt>
          <dd className={data.linkUp ? 'ok-note' : 'error-note'}>{data.linkUp ? c.syncUp : c.syncDown}</dd>
          <dt>{c.syncLastContact}</dt>
          <dd>{data.lastContactAt ? `${formatFullDate(Date.parse(data.lastContactAt))} ${formatClock(Date.parse(data.lastContactAt))}` : c.syncNever}</dd>
          <dt>{c.syncUnsent}</dt>
          <dd>{data.unsent}</dd>
          <dt>{c.syncOldest}</dt>
          <dd>{data.oldestUnsentAgeMs === null ? c.syncNothing : fill(c.syncAge, { minutes: Math.floor(data.oldestUnsentAgeMs / 60_000) })}</dd>
          <dt>{c.syncVersion}</dt>
          <dd>{fill(c.syncApplied, { received: data.lastVersionReceived, applied: data.lastVersionApplied })}</dd>
          {data.documents.length > 0 && (
            <>
              <dt>{c.syncDocuments}</dt>
              <dd>
                <ul className="plain-list">
                  {data.documents.map((doc) => {
                    const kindNames: Record<DocumentKind, string> = { tariff: c.syncDocTariff, slot_map: c.syncDocSlotMap, lot_settings: c.syncDocSettings };
                    // A kind a newer central office sends that this lot does not know yet.
                    const kind = Object.hasOwn(kindNames, doc.kind) ? kindNames[doc.kind as DocumentKind] : c.syncDocOther;
                    const when = (iso: string) => `${formatFullDate(Date.parse(iso))} ${formatClock(Date.parse(iso))}`;
                    const line =
                      doc.state === 'waiting'
                        ? fill(c.syncDocWaiting, { version: doc.version, kind, at: when(doc.effectiveFrom) })
                        : doc.state === 'applied'
                          ? fill(c.syncDocApplied, { version: doc.version, kind, at: when(doc.appliedAt!) })
                          : fill(c.syncDocRefused, { version: doc.version, kind });
                    return (
                      <li key={doc.version} className={doc.state === 'refused' ? 'error-note' : undefined}>
                        {line}
                      </li>
                    );
                  })}
                </ul>
              </dd>
            </>
          )}
          {data.lastRenumber && (
            <>
              <dt>{c.syncRenumbered}</dt>
              <dd>
                {fill(c.syncRenumberedNote, {
                  events: data.lastRenumber.events,
                  at: `${formatFullDate(Date.parse(data.lastRenumber.at))} ${formatClock(Date.parse(data.lastRenumber.at))}`,
                })}
                {(data.lastRenumber.restored > 0 || data.lastRenumber.conflicts > 0) && (
                  <p className={data.lastRenumber.conflicts > 0 ? 'error-note' : undefined}>
                    {fill(c.syncBroughtBack, { restored: data.lastRenumber.restored, conflicts: data.lastRenumber.conflicts })}
                  </p>
                )}
              </dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}
