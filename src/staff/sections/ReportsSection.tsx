import { useMutation, useQuery } from '@tanstack/react-query';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTRPC } from '../../api/trpc';
import { useStaffConsole } from '../../stores/staffConsole';
import { downloadText } from '../download';
import { formatDateTime, formatDay, formatMoney, formatTime, zoneDate, zoneDayStart, zoneOffsetMinutes } from '../format';
import { useServerNow } from '../../lib/server-clock';
import type { Lot } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';

const DAY = 86_400_000;
const PRESETS: { label: string; days: number }[] = [
  { label: 'Today', days: 1 },
  { label: 'Last 7 days', days: 7 },
  { label: 'Last 30 days', days: 30 },
];

const HOUR = 3_600_000;

/**
 * Ticks for the occupancy axis: one per lot day (thinned to about ten) over several days, every
 * three hours within one, so no label repeats.
 */
function occupancyTicks(fromMs: number, toMs: number, multiDay: boolean): number[] {
  const ticks: number[] = [];
  if (multiDay) {
    const days = Math.round((toMs - fromMs) / DAY);
    const step = Math.max(1, Math.ceil(days / 10));
    for (let d = 0; d < days; d += step) ticks.push(zoneDayStart(zoneDate(fromMs), d));
  } else {
    for (let t = fromMs; t < toMs; t += 3 * HOUR) ticks.push(t);
  }
  return ticks;
}

/** Occupancy by hour and revenue by day for a chosen period, with the bookings behind them as CSV. */
export function ReportsSection({ lot }: { lot: Lot }) {
  const trpc = useTRPC();
  const stored = useStaffConsole();
  const { setReportPeriod } = stored;
  // The period is in lot days on the lot's clock (server time, the one in the header), not this PC's date.
  const now = useServerNow(1000);
  const minute = Math.floor(now / 60_000) * 60_000;
  const today = zoneDate(minute);
  const reportTo = stored.reportTo || today;
  const reportFrom = stored.reportFrom || zoneDate(zoneDayStart(today, -6));
  const valid = reportFrom !== '' && reportTo !== '' && reportFrom <= reportTo;
  const fromMs = valid ? zoneDayStart(reportFrom) : 0;
  const toMs = valid ? zoneDayStart(reportTo, 1) : DAY;
  const period = {
    lotId: lot.id,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    utcOffsetMinutes: zoneOffsetMinutes(fromMs + 12 * HOUR),
  };
  const occupancy = useQuery({ ...trpc.report.occupancy.queryOptions(period), enabled: valid });
  const revenue = useQuery({ ...trpc.report.revenue.queryOptions(period), enabled: valid });
  const exportCsv = useMutation(trpc.report.bookingsCsv.mutationOptions({ onSuccess: (r) => downloadText(r.filename, r.csv) }));

  const multiDay = reportFrom !== reportTo;
  const hourData = (occupancy.data?.hours ?? []).map((h) => ({
    at: Date.parse(h.hourStart),
    occupancy: Math.round(h.occupancy * 1000) / 10,
    booked: h.bookedMinutes,
  }));
  const dayData = (revenue.data?.days ?? []).map((d) => ({ day: d.day, parking: d.parking / 100, addOns: d.addOns / 100, bookings: d.bookings }));
  const currency = revenue.data?.currency ?? lot.currency;
  const money = (major: number) => formatMoney(Math.round(major * 100), currency);

  return (
    <section className="section" aria-label="Reports">
      <div className="section-head">
        <h1>Reports</h1>
        <div className="toolbar compact">
          {PRESETS.map((p) => (
            <button key={p.label} type="button" className="small" onClick={() => setReportPeriod(zoneDate(zoneDayStart(today, -(p.days - 1))), today)}>
              {p.label}
            </button>
          ))}
          <label className="inline-field">
            <span>From</span>
            <input type="date" aria-label="Report from" value={reportFrom} onChange={(e) => setReportPeriod(e.target.value, reportTo)} />
          </label>
          <label className="inline-field">
            <span>To</span>
            <input type="date" aria-label="Report to" value={reportTo} onChange={(e) => setReportPeriod(reportFrom, e.target.value)} />
          </label>
          <button type="button" onClick={() => exportCsv.mutate({ lotId: lot.id, from: period.from, to: period.to })} disabled={!valid || exportCsv.isPending}>
            Export bookings CSV
          </button>
        </div>
      </div>
      {!valid && <p className="error-note">Choose a start date on or before the end date.</p>}
      <ErrorNote error={occupancy.error ?? revenue.error ?? exportCsv.error} />
      <div className="kpis">
        <Kpi label="Revenue" value={revenue.data ? formatMoney(revenue.data.totals.total, currency) : '…'} />
        <Kpi label="Bookings (not cancelled)" value={revenue.data ? String(revenue.data.totals.bookings) : '…'} />
        <Kpi label="Car wash revenue" value={revenue.data ? formatMoney(revenue.data.totals.addOns, currency) : '…'} />
        <Kpi label="Average occupancy" value={occupancy.data ? `${(occupancy.data.averageOccupancy * 100).toFixed(1)} %` : '…'} />
        <Kpi
          label="Busiest hour"
          value={
            occupancy.data?.peak && occupancy.data.peak.bookedMinutes > 0
              ? `${formatDateTime(occupancy.data.peak.hourStart)} · ${(occupancy.data.peak.occupancy * 100).toFixed(0)} %`
              : '–'
          }
        />
      </div>
      <div className="charts">
        <figure className="card chart" aria-label="Occupancy by hour">
          <figcaption>
            Occupancy by hour <span className="muted">booked minutes ÷ slot-minutes of {occupancy.data?.slots ?? '…'} open slots</span>
          </figcaption>
          <div className="chart-box">
            <ResponsiveContainer width="100%" height="100%">
              <AreaChart data={hourData} margin={{ top: 8, right: 12, bottom: 0, left: -8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" />
                <XAxis
                  dataKey="at"
                  type="number"
                  scale="time"
                  domain={[fromMs, toMs - HOUR]}
                  ticks={occupancyTicks(fromMs, toMs, multiDay)}
                  interval={0}
                  tickFormatter={(ms: number) => (multiDay ? formatDay(ms) : formatTime(ms))}
                  tick={{ fontSize: 11 }}
                />
                <YAxis unit="%" domain={[0, 100]} tick={{ fontSize: 11 }} width={48} />
                <Tooltip labelFormatter={(ms) => formatDateTime(Number(ms))} formatter={(v) => [`${v} %`, 'Occupancy']} />
                <Area type="stepAfter" dataKey="occupancy" stroke="#2563eb" fill="#bfd3fb" isAnimationActive={false} />
              </AreaChart>
            </ResponsiveContainer>
          </div>
        </figure>
        <figure className="card chart" aria-label="Revenue by day">
          <figcaption>
            Revenue by day <span className="muted">price + add-ons of bookings not cancelled, by start day</span>
          </figcaption>
          <div className="chart-box">
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={dayData} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e3e7ee" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(d: string) => formatDay(zoneDayStart(d) + 12 * HOUR)} tick={{ fontSize: 11 }} minTickGap={12} />
                <YAxis tick={{ fontSize: 11 }} tickFormatter={(v: number) => money(v).replace(/\.00$/, '')} width={72} />
                <Tooltip
                  formatter={(v, name) => [money(Number(v)), name === 'parking' ? 'Parking' : 'Car wash']}
                  labelFormatter={(d) => formatDay(zoneDayStart(String(d)) + 12 * HOUR)}
                />
                <Legend formatter={(name: string) => (name === 'parking' ? 'Parking' : 'Car wash')} wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="parking" stackId="r" fill="#2563eb" isAnimationActive={false} maxBarSize={56} />
                <Bar dataKey="addOns" stackId="r" fill="#14b8a6" isAnimationActive={false} maxBarSize={56} />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </figure>
      </div>
    </section>
  );
}

function Kpi({ label, value }: { label: string; value: string }) {
  return (
    <div className="kpi">
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
    </div>
  );
}
