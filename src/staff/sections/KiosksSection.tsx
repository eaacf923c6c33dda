import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import '../../styles/staff-kiosks.css';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { formatDateTime, formatTime } from '../format';
import { useServerNow } from '../../lib/server-clock';
import type { Me } from '../../lib/api-types';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/Notice';
import { LinkStateCard } from './LinkStateCard';

type Satellite = {
  id: string;
  name: string;
  connection: 'connected' | 'lost' | 'never' | 'revoked';
  lastContactAt: string | null;
  pairedAt: string;
  report: { state: 'online' | 'offline-leases' | 'out-of-service'; journalBacklog: number; leasedSlots: number } | null;
};

/** How long ago, in words the console uses ("12 s ago", "3 min ago", or the time itself). */
function useAgo() {
  const now = useServerNow();
  const { t } = useMessages();
  const c = t.link.console;
  return (iso: string | null) => {
    if (!iso) return c.never;
    const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    if (seconds < 120) return fill(c.secondsAgo, { n: seconds });
    if (seconds < 3600) return fill(c.minutesAgo, { n: Math.round(seconds / 60) });
    return formatDateTime(iso);
  };
}

/** Owner: "Add a kiosk" (one-time code, fingerprint, address) and the paired satellites, each revocable. */
export function KiosksSection({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useMessages();
  const c = t.link.console;
  const hub = useQuery(trpc.satellite.hubInfo.queryOptions());
  // The list refreshes by itself: satellites report every few seconds.
  const satellites = useQuery(trpc.satellite.list.queryOptions(undefined, { refetchInterval: 5_000 }));
  const createCode = useMutation(trpc.satellite.createCode.mutationOptions());
  const [revoking, setRevoking] = useState<Satellite | null>(null);
  const revoke = useMutation(
    trpc.satellite.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        void queryClient.invalidateQueries(trpc.satellite.list.queryFilter());
      },
    }),
  );
  const ago = useAgo();
  const now = useServerNow();
  const code = createCode.data;
  const codeLive = code && Date.parse(code.expiresAt) > now;
  const owner = me.role === 'owner';
  return (
    <section className="section kiosks" aria-label={c.title}>
      <div className="section-head">
        <h1>{c.title}</h1>
        {owner && hub.data?.tls && (
          <button type="button" className="primary" onClick={() => createCode.mutate()} disabled={createCode.isPending}>
            {c.add}
          </button>
        )}
      </div>
      <p className="muted">{c.intro}</p>
      <ErrorNote error={hub.error ?? satellites.error ?? createCode.error ?? revoke.error} />
      <div className="kiosks-grid">
        <LinkStateCard />
        {hub.data && !hub.data.tls && (
          <p className="card notice-card" data-testid="not-hub">
            {c.notHub}
          </p>
        )}
        {code && (
          <div className="card pairing-card" data-testid="pairing-code" aria-live="polite">
            <h2>{c.codeTitle}</h2>
            {codeLive ? (
              <>
                <p className="pairing-code mono" aria-label={code.code.split('').join(' ')}>
                  {code.code.slice(0, 4)}-{code.code.slice(4)}
                </p>
                <p className="muted">{fill(c.codeHelp, { time: formatTime(code.expiresAt) })}</p>
              </>
            ) : (
              <p className="warn-text">{c.codeExpired}</p>
            )}
            <dl className="pairing-facts">
              <dt>{c.fingerprint}</dt>
              <dd>
                <span className="mono strong" data-testid="short-fingerprint">
                  {code.shortFingerprint}
                </span>
                <span className="muted small-note">{c.fingerprintHelp}</span>
                <span className="mono fingerprint-full">{code.fingerprint}</span>
              </dd>
              <dt>{c.address}</dt>
              <dd className="mono">{code.addresses.join('  ')}</dd>
              {codeLive && (
                <>
                  <dt>{c.command}</dt>
                  <dd>
                    <code className="pairing-command">
                      npm run serve -- --role satellite --hub {code.addresses[0] ?? 'https://HUB:PORT'} --pair {code.code} --data DIR
                    </code>
                  </dd>
                </>
              )}
            </dl>
          </div>
        )}
      </div>
      <div className="table-wrap">
        <table className="data-table" aria-label={c.title}>
          <thead>
            <tr>
              <th>{c.name}</th>
              <th>{c.state}</th>
              <th>{c.lastContact}</th>
              <th className="num">{c.backlog}</th>
              <th className="num">{c.leased}</th>
              <th>{c.pairedAt}</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {satellites.data?.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  {c.none}
                </td>
              </tr>
            )}
            {satellites.data?.map((s) => (
              <tr key={s.id} data-satellite={s.name} className={s.connection === 'revoked' ? 'row-muted' : ''}>
                <td className="strong">{s.name}</td>
                <td>
                  <span className={`kiosk-state kiosk-${s.connection}`}>{c.connection[s.connection]}</span>
                  {/* Out of contact, what it said is only what it said last: labelled so, never shown as its state now. */}
                  {s.report && s.connection !== 'revoked' && (
                    <span className={`kiosk-report report-${s.connection === 'lost' ? 'stale' : s.report.state}`}>
                      {s.connection === 'lost' ? fill(c.lastSaid, { state: c.states[s.report.state] }) : c.states[s.report.state]}
                    </span>
                  )}
                </td>
                <td title={s.lastContactAt ? formatDateTime(s.lastContactAt) : undefined}>{ago(s.lastContactAt)}</td>
                <td className={`num${(s.report?.journalBacklog ?? 0) > 0 ? ' warn-text strong' : ''}`}>{s.report?.journalBacklog ?? '–'}</td>
                <td className="num">{s.report?.leasedSlots ?? '–'}</td>
                <td>{formatDateTime(s.pairedAt)}</td>
                <td className="row-actions">
                  {owner && s.connection !== 'revoked' && (
                    <button type="button" className="small danger-text" onClick={() => setRevoking(s)}>
                      {c.revoke}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoking && (
        <Dialog
          title={c.revoke}
          onClose={() => setRevoking(null)}
          footer={
            <>
              <button type="button" onClick={() => setRevoking(null)}>
                {c.cancel}
              </button>
              <button type="button" className="primary danger" onClick={() => revoke.mutate({ id: revoking.id })} disabled={revoke.isPending}>
                {c.revokeYes}
              </button>
            </>
          }
        >
          <p>{fill(c.revokeConfirm, { name: revoking.name })}</p>
        </Dialog>
      )}
    </section>
  );
}
