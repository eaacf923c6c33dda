import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { formatDateTime, formatTime } from '../format';

/** This console's own kiosk: single, the lot's hub, or a satellite (and then its link state, leases, backlog). */
export function LinkStateCard() {
  const trpc = useTRPC();
  const { t } = useMessages();
  const c = t.link.console;
  const link = useQuery(trpc.link.status.queryOptions(undefined, { refetchInterval: 3_000 })).data;
  if (!link) return null;
  return (
    <div className={`card link-card link-${link.state}`} data-testid="link-state" data-link-state={link.state}>
      <h2>{c.linkTitle}</h2>
      <p className="strong">{link.role === 'satellite' ? fill(c.role.satellite, { hub: link.hubUrl ?? '?' }) : c.role[link.role]}</p>
      {link.role === 'satellite' && (
        <ul className="link-facts">
          <li>
            <span className={`kiosk-report report-${link.state}`}>{c.states[link.state]}</span>
          </li>
          {link.leaseExpiresAt && <li>{fill(c.linkLeased, { slots: link.leasedSlotIds.length, time: formatTime(link.leaseExpiresAt) })}</li>}
          <li className={link.journalBacklog > 0 ? 'warn-text' : ''}>{fill(c.linkBacklog, { n: link.journalBacklog })}</li>
          <li>{fill(c.linkLastContact, { time: link.lastHubContactAt ? formatDateTime(link.lastHubContactAt) : c.never })}</li>
        </ul>
      )}
    </div>
  );
}

/** A small badge for the console's header on a satellite that has lost its hub. */
export function LinkBadge() {
  const trpc = useTRPC();
  const { t } = useMessages();
  const link = useQuery(trpc.link.status.queryOptions(undefined, { refetchInterval: 3_000 })).data;
  if (!link || link.role !== 'satellite') return null;
  return (
    <span className={`link-badge report-${link.state}`} role="status" data-testid="link-badge">
      {t.link.console.states[link.state]}
    </span>
  );
}
