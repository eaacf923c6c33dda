import type { IncomingMessage, ServerResponse } from 'node:http';
import { tariffDocument } from '../../electron/core/tariffs/model';
import { logIn, logOut, staffForToken } from '../auth';
import type { CentralDb } from '../db/client';
import type { BookingCursor } from '../store/bookings';
import { publishTariff } from '../sync/documents';
import { bookingsPage, listLots, siteReports } from './queries';

/**
 * The operator's console: server-rendered HTML (no build step), behind central staff accounts
 * (scrypt passwords, central/auth.ts; never the lots' PINs). The session is an HttpOnly,
 * SameSite=Strict cookie, and every POST must come from this origin.
 */

const COOKIE = 'central_session';
const MAX_FORM = 256 * 1024;

const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const money = (minor: string | number, currency: string | null) => `${(Number(minor) / 100).toFixed(2)} ${esc(currency ?? '')}`;
const at = (date: Date | null, timeZone?: string | null) =>
  date ? esc(date.toLocaleString('en-GB', { timeZone: timeZone ?? 'UTC', dateStyle: 'medium', timeStyle: 'short' }) + (timeZone ? '' : ' UTC')) : '—';

function page(title: string, body: string, staff: string | null): string {
  const nav = staff
    ? `<nav><a href="/">Lots</a> <a href="/bookings">Bookings</a> <a href="/reports">Occupancy &amp; revenue</a> <a href="/tariffs">Publish a tariff</a>
       <form method="post" action="/logout" class="inline"><button>Log out ${esc(staff)}</button></form></nav>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)} · Central office</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;color:#1d2430;background:#f5f6f8}
header{background:#1f3b5a;color:#fff;padding:10px 20px}header h1{margin:0;font-size:18px}
nav{display:flex;gap:16px;align-items:center;margin-top:6px}nav a{color:#fff}
main{padding:16px 20px}table{border-collapse:collapse;background:#fff;width:100%}
th,td{border-bottom:1px solid #dde1e6;padding:6px 8px;text-align:left;vertical-align:top}th{background:#eef1f4}
.bad{color:#a4161a;font-weight:600}.ok{color:#1b6e3a}.inline{display:inline}textarea{width:100%;font:13px monospace}
.card{background:#fff;padding:12px 16px;border:1px solid #dde1e6;border-radius:6px;max-width:900px}
</style></head><body><header><h1>Central office · ${esc(title)}</h1>${nav}</header><main>${body}</main></body></html>`;
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', ...headers });
  res.end(html);
}

const redirect = (res: ServerResponse, to: string, headers: Record<string, string> = {}) => {
  res.writeHead(303, { location: to, ...headers });
  res.end();
};

function cookieToken(req: IncomingMessage): string | undefined {
  const found = (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${COOKIE}=`));
  return found?.slice(COOKIE.length + 1);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

/** A POST from another site (cross-site request forgery) carries another Origin. */
const sameOrigin = (req: IncomingMessage) => !req.headers.origin || new URL(req.headers.origin).host === req.headers.host;

export async function handleConsole(db: CentralDb, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://console');
  if (req.method === 'POST' && !sameOrigin(req)) return send(res, 403, page('Refused', '<p>That form came from another site.</p>', null));
  if (url.pathname === '/login') {
    if (req.method === 'POST') {
      const form = await readForm(req);
      const token = await logIn(db, form.get('name') ?? '', form.get('password') ?? '');
      if (!token) return send(res, 401, loginPage('That name and password do not match a central account.'));
      return redirect(res, '/', { 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200` });
    }
    return send(res, 200, loginPage(null));
  }
  const staff = await staffForToken(db, cookieToken(req));
  if (!staff) return redirect(res, '/login');
  if (url.pathname === '/logout' && req.method === 'POST') {
    await logOut(db, cookieToken(req) ?? '');
    return redirect(res, '/login', { 'set-cookie': `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
  }
  if (url.pathname === '/') return send(res, 200, page('Lots', await lotsBody(db), staff.name));
  if (url.pathname === '/bookings')
    return send(res, 200, page('Bookings', await bookingsBody(db, url.searchParams.get('q') ?? '', url.searchParams.get('after')), staff.name));
  if (url.pathname === '/reports') return send(res, 200, page('Occupancy & revenue', await reportsBody(db), staff.name));
  if (url.pathname === '/tariffs') {
    if (req.method === 'POST') {
      const outcome = await publishFromForm(db, await readForm(req), staff.name);
      return send(res, outcome.ok ? 200 : 400, page('Publish a tariff', await tariffBody(db, outcome.message, outcome.ok), staff.name));
    }
    return send(res, 200, page('Publish a tariff', await tariffBody(db, null, true), staff.name));
  }
  send(res, 404, page('Not found', '<p>There is no such page.</p>', staff.name));
}

function loginPage(problem: string | null): string {
  return page(
    'Log in',
    `<form method="post" action="/login" class="card"><p>Central staff accounts only (not a lot's PIN).</p>
     ${problem ? `<p class="bad">${esc(problem)}</p>` : ''}
     <p><label>Name <input name="name" autocomplete="username" required></label></p>
     <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
     <button>Log in</button></form>`,
    null,
  );
}

async function lotsBody(db: CentralDb): Promise<string> {
  const lots = await listLots(db);
  const rows = lots
    .map(
      (lot) => `<tr><td>${esc(lot.name)}<br><small>${esc(lot.sites)}</small><br><small>${esc(lot.lotId)}</small></td>
        <td>${at(lot.lastContactAt)}</td>
        <td>${lot.reportedBacklog}${lot.reportedOldestUnsentAt ? `<br><small>oldest ${at(lot.reportedOldestUnsentAt)}</small>` : ''}</td>
        <td>${esc(lot.lastSeq)}</td>
        <td>${lot.ackedVersion} / ${lot.latestVersion}</td>
        <td class="${lot.alarms ? 'bad' : 'ok'}">${esc(lot.alarms)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Lot</th><th>Last contact</th><th>Backlog (reported)</th><th>Events stored</th><th>Documents acknowledged / published</th><th>Alarms</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="6">No lot has reported yet.</td></tr>'}</tbody></table>`;
}

/** The keyset cursor in the page link: `${createdAt ms}.${lot id}.${booking id}`; anything else starts from the newest. */
const cursorText = (cursor: BookingCursor) => `${cursor.createdAt.getTime()}.${cursor.lotId}.${cursor.bookingId}`;
function parseCursor(text: string | null): BookingCursor | null {
  const match = /^(\d{1,15})\.([0-9a-f-]{36})\.(\d{1,15})$/i.exec(text ?? '');
  return match ? { createdAt: new Date(Number(match[1])), lotId: match[2]!.toLowerCase(), bookingId: Number(match[3]) } : null;
}

async function bookingsBody(db: CentralDb, q: string, after: string | null): Promise<string> {
  const page = await bookingsPage(db, q.trim(), parseCursor(after));
  const rows = page.rows
    .map(
      (b) => `<tr><td>${esc(b.lot)}</td><td>${esc(b.reference)}</td><td>${esc(b.vehicleNumber)}</td>
        <td class="${b.inConflict ? 'bad' : ''}">${esc(b.status)}${b.inConflict ? ' (double booking alarm)' : ''}</td>
        <td>${at(b.startAt, b.timeZone)} – ${at(b.endAt, b.timeZone)}</td><td>${money(b.price, b.currency)}</td><td>${esc(b.tariffVersion ?? 'flat')}</td></tr>`,
    )
    .join('');
  const more = page.next ? `<p><a href="/bookings?${new URLSearchParams({ q, after: cursorText(page.next) }).toString()}">Older bookings</a></p>` : '';
  return `<form method="get" action="/bookings"><label>Plate or reference <input name="q" value="${esc(q)}"></label> <button>Search</button></form>
    <table><thead><tr><th>Lot</th><th>Reference</th><th>Vehicle</th><th>Status</th><th>Time (lot's zone)</th><th>Price</th><th>Tariff</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="7">No bookings match.</td></tr>'}</tbody></table>${more}`;
}

async function reportsBody(db: CentralDb): Promise<string> {
  const sites = await siteReports(db);
  const totals = new Map<string, { today: number; all: number }>();
  for (const site of sites) {
    const sum = totals.get(site.currency) ?? { today: 0, all: 0 };
    sum.today += site.revenueToday;
    sum.all += site.revenueTotal;
    totals.set(site.currency, sum);
  }
  const rows = sites
    .map(
      (s) => `<tr><td>${esc(s.lot)} · ${esc(s.site)}</td><td>${esc(s.timeZone)}</td><td>${esc(s.occupied)} / ${esc(s.slots)}</td>
        <td>${money(s.revenueToday, s.currency)}</td><td>${money(s.revenueTotal, s.currency)}</td></tr>`,
    )
    .join('');
  const total = [...totals]
    .map(
      ([currency, sum]) => `<tr><th colspan="3">Total (${esc(currency)})</th><th>${money(sum.today, currency)}</th><th>${money(sum.all, currency)}</th></tr>`,
    )
    .join('');
  return `<p>Occupancy is now; "today" runs from midnight in each lot's own time zone. Cancelled bookings are not revenue; car washes are.</p>
    <table><thead><tr><th>Lot</th><th>Time zone</th><th>Occupied now</th><th>Revenue today</th><th>Revenue, all time</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="5">No lot has reported yet.</td></tr>'}${total}</tbody></table>`;
}

async function tariffBody(db: CentralDb, message: string | null, ok: boolean): Promise<string> {
  const lots = await listLots(db);
  const boxes = lots.map((lot) => `<label><input type="checkbox" name="lot" value="${esc(lot.lotId)}"> ${esc(lot.name)}</label><br>`).join('');
  return `<form method="post" action="/tariffs" class="card">
    ${message ? `<p class="${ok ? 'ok' : 'bad'}">${esc(message)}</p>` : ''}
    <p>A published tariff becomes each chosen lot's newest tariff version once its start has come (central wins; the lot's own versions stay in its history).</p>
    <fieldset><legend>Lots</legend>${boxes || 'No lot has reported yet.'}</fieldset>
    <p><label>Effective from (UTC) <input name="effectiveFrom" type="datetime-local" required></label></p>
    <p><label>Tariff document (JSON, the lot console's tariff format)<br><textarea name="document" rows="18" required></textarea></label></p>
    <button>Publish</button></form>`;
}

async function publishFromForm(db: CentralDb, form: URLSearchParams, by: string): Promise<{ ok: boolean; message: string }> {
  const lotIds = form.getAll('lot');
  if (!lotIds.length) return { ok: false, message: 'Choose at least one lot.' };
  const effectiveFrom = Date.parse(`${form.get('effectiveFrom') ?? ''}Z`);
  if (!Number.isFinite(effectiveFrom)) return { ok: false, message: 'Give the date and time it takes effect.' };
  let json: unknown;
  try {
    json = JSON.parse(form.get('document') ?? '');
  } catch {
    return { ok: false, message: 'The tariff document is not valid JSON.' };
  }
  const parsed = tariffDocument.safeParse(json);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'document'}: ${issue.message}`).join('; ') };
  const versions = await publishTariff(db, { lotIds, document: parsed.data, effectiveFrom, by });
  return {
    ok: true,
    message: `Published to ${Object.keys(versions).length} lot(s): ${Object.entries(versions)
      .map(([lot, v]) => `${lot} v${v}`)
      .join(', ')}.`,
  };
}
