import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { credentials } from '../api/credentials';
import { useTRPC } from '../api/trpc';
import { setLotTimeZone } from '../i18n/lotClock';
import { useStaffConsole, type ConsoleSection } from '../stores/staffConsole';
import { formatClock, formatFullDate } from './format';
import { AuditSection } from './sections/AuditSection';
import { BackupsSection } from './sections/BackupsSection';
import { SettingsSection } from './sections/SettingsSection';
import { LotSetup } from './setup/LotSetup';
import { BookingsSection } from './sections/BookingsSection';
import { LotMapSection } from './sections/LotMapSection';
import { ReceiptsSection } from './sections/ReceiptsSection';
import { ReportsSection } from './sections/ReportsSection';
import { SlotsSection } from './sections/SlotsSection';
import { StaffSection } from './sections/StaffSection';
import { TariffSection } from './sections/TariffSection';
import { useServerNow } from '../lib/server-clock';
import { KiosksSection } from './sections/KiosksSection';
import { LinkBadge } from './sections/LinkStateCard';
import { ErrorNote } from './ui/Notice';
import type { Me } from '../lib/api-types';
import { useLiveLot } from './useLiveLot';

const SECTIONS: { id: ConsoleSection; label: string; ownerOnly?: boolean }[] = [
  { id: 'bookings', label: 'Bookings' },
  { id: 'map', label: 'Lot map' },
  { id: 'slots', label: 'Slots & prices' },
  { id: 'reports', label: 'Reports' },
  { id: 'audit', label: 'Audit log' },
  { id: 'backups', label: 'Backups' },
  { id: 'receipts', label: 'Receipts' },
  { id: 'settings', label: 'Settings' },
  { id: 'staff', label: 'Staff', ownerOnly: true },
  // Last, so the Alt+number keys of the older sections stay where they were.
  { id: 'tariff', label: 'Tariff' },
  // Several kiosks at one lot (issue 14): pairing and the satellites' state.
  { id: 'kiosks', label: 'Kiosks', ownerOnly: true },
];

export function ConsoleShell({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const section = useStaffConsole((s) => s.section);
  const go = useStaffConsole((s) => s.go);
  const signedOut = useStaffConsole((s) => s.signedOut);
  const lots = useQuery(trpc.lot.list.queryOptions());
  const lot = lots.data?.[0];
  // Every console time is on the lot's clock: its zone, and the server's "now" (lib/server-clock.ts,
  // fed by every answer as it arrives).
  setLotTimeZone(lot?.timeZone);
  const live = useLiveLot(lot?.id);
  const setupOpen = useStaffConsole((s) => s.setupOpen);
  // No lot yet (first run without --demo), or the owner is still adding its slots.
  const settingUp = lots.isSuccess && (!lot || (me.role === 'owner' && (setupOpen || lot.totalSlots === 0)));
  const visible = SECTIONS.filter((s) => !s.ownerOnly || me.role === 'owner');

  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: async () => {
        credentials.setStaffToken(null);
        signedOut('You have logged out.');
        await queryClient.invalidateQueries(trpc.auth.status.queryFilter());
      },
    }),
  );

  // Alt+1..9 switches sections from the keyboard.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey) return;
      const target = visible[Number(event.key) - 1];
      if (target) {
        event.preventDefault();
        go(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [visible, go]);

  const current = visible.some((s) => s.id === section) ? section : 'bookings';

  return (
    <div className="staff staff-console">
      <header className="sc-header">
        <div className="sc-brand">
          <strong>{lot?.name ?? 'Parking lot'}</strong>
          <span>Staff console</span>
        </div>
        {settingUp ? (
          <div className="sc-nav" aria-hidden="true" />
        ) : (
          <nav className="sc-nav" aria-label="Console sections">
            {visible.map((s, index) => (
              <button
                key={s.id}
                type="button"
                className={current === s.id ? 'active' : ''}
                aria-current={current === s.id ? 'page' : undefined}
                title={`Alt+${index + 1}`}
                onClick={() => go(s.id)}
              >
                {s.label}
              </button>
            ))}
          </nav>
        )}
        <div className="sc-status">
          {lot && <LiveIndicator status={live.status} />}
          <LinkBadge />
          <ServerClock />
          <span className="sc-user" title={`Signed in as ${me.name}`}>
            {me.name} <span className={`role role-${me.role}`}>{me.role}</span>
          </span>
          <button type="button" className="ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Log out
          </button>
        </div>
      </header>
      <main className="sc-main">
        <ErrorNote error={lots.error} />
        {settingUp ? (
          <LotSetup lot={lot} me={me} />
        ) : lot ? (
          <>
            {current === 'bookings' && <BookingsSection lot={lot} />}
            {current === 'map' && <LotMapSection lot={lot} />}
            {current === 'slots' && <SlotsSection lot={lot} me={me} />}
            {current === 'tariff' && <TariffSection me={me} />}
            {current === 'reports' && <ReportsSection lot={lot} />}
            {current === 'audit' && <AuditSection lot={lot} />}
            {current === 'backups' && <BackupsSection me={me} />}
            {current === 'receipts' && <ReceiptsSection me={me} />}
            {current === 'settings' && <SettingsSection lot={lot} me={me} />}
            {current === 'staff' && me.role === 'owner' && <StaffSection me={me} />}
            {current === 'kiosks' && me.role === 'owner' && <KiosksSection me={me} />}
          </>
        ) : (
          !lots.error && <p className="muted">Loading the lot…</p>
        )}
      </main>
    </div>
  );
}

function LiveIndicator({ status }: { status: string }) {
  const connected = status === 'pending';
  return (
    <span className={`live ${connected ? 'live-on' : 'live-off'}`} role="status" title={connected ? 'Updates arrive live' : 'Reconnecting…'}>
      <span className="dot" aria-hidden="true" />
      {connected ? 'Live' : status === 'error' ? 'Offline' : 'Connecting'}
    </span>
  );
}

function ServerClock() {
  const now = useServerNow(1000);
  return (
    <span className="sc-clock" title={formatFullDate(now)}>
      <span className="mono">{formatClock(now)}</span>
    </span>
  );
}
