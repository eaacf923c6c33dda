import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../../api/trpc';
import { useStaffConsole, type StatusFilter } from '../../stores/staffConsole';
import { downloadText } from '../download';
import { formatDateTime, formatMoney, VEHICLE_LABELS, zoneDayStart } from '../format';
import type { Lot } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';
import { Pager } from '../ui/Pager';
import { StatusBadge } from '../ui/StatusBadge';
import { BookingDrawer } from './BookingDrawer';

const STATUSES: { id: StatusFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'booked', label: 'Booked' },
  { id: 'completed', label: 'Completed' },
  { id: 'cancelled', label: 'Cancelled' },
];

/** Local midnight of a YYYY-MM-DD date, as an ISO instant; `nextDay` gives the exclusive end. */
/** Date filters are the lot's calendar days. */
const dayStart = (date: string, nextDay = false) => new Date(zoneDayStart(date, nextDay ? 1 : 0)).toISOString();

/** The filters as the server's booking.list / report.bookingsCsv understand them. */
export function useBookingQuery(lotId: number) {
  const filters = useStaffConsole((s) => s.filters);
  return {
    lotId,
    status: filters.status === 'all' ? undefined : filters.status,
    slotId: filters.slotId ?? undefined,
    search: filters.search.trim() || undefined,
    from: filters.fromDate ? dayStart(filters.fromDate) : undefined,
    to: filters.toDate ? dayStart(filters.toDate, true) : undefined,
  };
}

export function BookingsSection({ lot }: { lot: Lot }) {
  const trpc = useTRPC();
  const { filters, setFilters, resetFilters, bookingCursors, nextBookingPage, previousBookingPage, selectedBookingId, openBooking } = useStaffConsole();
  const base = useBookingQuery(lot.id);
  const cursor = bookingCursors[bookingCursors.length - 1] ?? null;
  const list = useQuery({
    ...trpc.booking.list.queryOptions({ ...base, order: filters.order, cursor, limit: filters.pageSize }),
    placeholderData: keepPreviousData,
  });
  const slots = useQuery(trpc.slotAdmin.list.queryOptions({ lotId: lot.id }));
  const exportCsv = useMutation(trpc.report.bookingsCsv.mutationOptions({ onSuccess: (r) => downloadText(r.filename, r.csv) }));

  return (
    <section className="section bookings" aria-label="Bookings">
      <div className="section-head">
        <h1>Bookings</h1>
        <div className="section-actions">
          <button type="button" onClick={() => exportCsv.mutate(base)} disabled={exportCsv.isPending}>
            Export CSV
          </button>
        </div>
      </div>
      <div className="toolbar" role="search">
        <SearchBox value={filters.search} onChange={(search) => setFilters({ search })} />
        <div className="segmented" role="group" aria-label="Status">
          {STATUSES.map((s) => (
            <button
              key={s.id}
              type="button"
              className={filters.status === s.id ? 'active' : ''}
              aria-pressed={filters.status === s.id}
              onClick={() => setFilters({ status: s.id })}
            >
              {s.label}
            </button>
          ))}
        </div>
        <label className="inline-field">
          <span>Slot</span>
          <select aria-label="Slot" value={filters.slotId ?? ''} onChange={(e) => setFilters({ slotId: e.target.value ? Number(e.target.value) : null })}>
            <option value="">All slots</option>
            {slots.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>From</span>
          <input type="date" aria-label="From date" value={filters.fromDate} onChange={(e) => setFilters({ fromDate: e.target.value })} />
        </label>
        <label className="inline-field">
          <span>To</span>
          <input type="date" aria-label="To date" value={filters.toDate} onChange={(e) => setFilters({ toDate: e.target.value })} />
        </label>
        <button type="button" className="ghost" onClick={resetFilters}>
          Clear
        </button>
      </div>
      <ErrorNote error={list.error ?? exportCsv.error} />
      <div className="table-wrap">
        <table className="data-table bookings-table" aria-label="Bookings" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th>Reference</th>
              <th>Status</th>
              <th>Slot</th>
              <th>Vehicle</th>
              <th>Type</th>
              <th>Start</th>
              <th>End</th>
              <th className="num">Total</th>
              <th aria-sort={filters.order === 'newest' ? 'descending' : 'ascending'}>
                <button type="button" className="sort" onClick={() => setFilters({ order: filters.order === 'newest' ? 'oldest' : 'newest' })}>
                  Booked at {filters.order === 'newest' ? '▼' : '▲'}
                </button>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((b) => (
              <tr
                key={b.id}
                tabIndex={0}
                data-reference={b.reference}
                className={selectedBookingId === b.id ? 'selected' : ''}
                onClick={() => openBooking(b.id)}
                onKeyDown={(e) => e.key === 'Enter' && openBooking(b.id)}
              >
                <td className="mono strong">{b.reference}</td>
                <td>
                  <StatusBadge status={b.status} startTime={b.startTime} endTime={b.endTime} />
                </td>
                <td>{b.slotLabel}</td>
                <td className="mono">{b.vehicleNumber}</td>
                <td>
                  {VEHICLE_LABELS[b.vehicleType] ?? b.vehicleType}
                  {b.bookingType === 'advance' && <span className="tag">advance</span>}
                  {b.addOns.length > 0 && <span className="tag">wash</span>}
                </td>
                <td>{formatDateTime(b.startTime)}</td>
                <td>{formatDateTime(b.endTime)}</td>
                <td className="num">{formatMoney(b.totalPrice, b.currency)}</td>
                <td className="muted">{formatDateTime(b.createdAt)}</td>
              </tr>
            ))}
            {list.data && list.data.items.length === 0 && (
              <tr>
                <td colSpan={9} className="empty">
                  No bookings match these filters.
                </td>
              </tr>
            )}
            {list.isPending && (
              <tr>
                <td colSpan={9} className="empty">
                  Loading bookings…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="table-foot">
        <label className="inline-field">
          <span>Rows</span>
          <select aria-label="Rows per page" value={filters.pageSize} onChange={(e) => setFilters({ pageSize: Number(e.target.value) })}>
            {[25, 50, 100].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <Pager
          page={bookingCursors.length}
          hasNext={!!list.data?.nextCursor}
          onPrevious={previousBookingPage}
          onNext={() => list.data?.nextCursor && nextBookingPage(list.data.nextCursor)}
          summary={list.data ? `${list.data.items.length} shown` : undefined}
        />
      </div>
      {selectedBookingId !== null && <BookingDrawer id={selectedBookingId} onClose={() => openBooking(null)} />}
    </section>
  );
}

/** Typing searches after a short pause; "/" jumps here from anywhere in the console. */
function SearchBox({ value, onChange }: { value: string; onChange(value: string): void }) {
  const [text, setText] = useState(value);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), 250);
    return () => clearTimeout(timer);
  }, [text, value, onChange]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <input
      ref={input}
      type="search"
      className="search"
      placeholder="Search reference or vehicle number  ( / )"
      aria-label="Search reference or vehicle number"
      value={text}
      onChange={(e) => setText(e.target.value)}
      onKeyDown={(e) => e.key === 'Enter' && onChange(text)}
    />
  );
}
