import type { IncomingMessage, ServerResponse } from 'node:http';
import { logIn, logOut, staffForToken, type LoginThrottle } from '../auth';
import type { CentralDb } from '../db/client';
import type { BookingCursor } from '../store/bookings';
import type { DocumentKind } from '../../shared/vocabulary';
import { listSites, slotsOfSite } from '../store/lots';
import { DocumentRefused, publishDocument } from '../sync/documents';
import { parseEffectiveFrom, parseSettings, parseSlotMap, parseTargets, SETTING_FIELDS, slotMapText, type Parsed } from './forms';
import { bookingsPage, documentsOverview, listLots, siteReports, type DocumentView } from './queries';

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
    ? `<nav><a href="/">Lots</a> <a href="/bookings">Bookings</a> <a href="/reports">Occupancy &amp; revenue</a> <span>Publish:</span> <a href="/tariffs">Tariff</a> <a href="/slot-maps">Slot map</a> <a href="/settings">Lot settings</a>
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

class FormTooLarge extends Error {}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM) throw new FormTooLarge();
  }
  return new URLSearchParams(body);
}

/** A POST from another site (cross-site request forgery) carries another Origin. */
const sameOrigin = (req: IncomingMessage) => !req.headers.origin || new URL(req.headers.origin).host === req.headers.host;

/** `loginThrottle`: wrong passwords slow their sender down (central/auth.ts). */
export async function handleConsole(db: CentralDb, loginThrottle: LoginThrottle, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await answerConsole(db, loginThrottle, req, res);
  } catch (error) {
    if (!(error instanceof FormTooLarge)) throw error;
    res.setHeader('connection', 'close');
    send(res, 413, page('Too large', `<p>That form is larger than ${MAX_FORM / 1024} KB; nothing was saved.</p>`, null));
  }
}

async function answerConsole(db: CentralDb, loginThrottle: LoginThrottle, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://console');
  if (req.method === 'POST' && !sameOrigin(req)) return send(res, 403, page('Refused', '<p>That form came from another site.</p>', null));
  if (url.pathname === '/login') {
    if (req.method === 'POST') {
      const form = await readForm(req);
      const name = form.get('name') ?? '';
      const address = req.socket.remoteAddress ?? 'unknown';
      const waitMs = loginThrottle.waitMs(address, name);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        const wait = seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
        return send(res, 429, loginPage(`Too many wrong attempts. Please try again in ${wait}.`), { 'retry-after': String(seconds) });
      }
      // Counted before the (slow, awaited) password check, so a burst of parallel guesses is held
      // back like a sequence of them; a success clears it.
      loginThrottle.recordFailure(address, name);
      const token = await logIn(db, name, form.get('password') ?? '');
      if (!token) return send(res, 401, loginPage('That name and password do not match a central account.'));
      loginThrottle.recordSuccess(address, name);
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
  const publisher = Object.hasOwn(PUBLISHERS, url.pathname) ? PUBLISHERS[url.pathname] : undefined;
  if (publisher) {
    const form = req.method === 'POST' ? await readForm(req) : null;
    const outcome = form ? await publish(db, publisher, form, staff.name) : null;
    const body = await publishBody(db, publisher, url, form, outcome);
    return send(res, outcome && !outcome.ok ? 400 : 200, page(publisher.title, body, staff.name));
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
        <td>${lot.ackedVersion} / ${lot.latestVersion}${lot.refused ? `<br><span class="bad">${lot.refused} refused</span>` : ''}</td>
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

interface Publisher {
  kind: DocumentKind;
  path: string;
  title: string;
  explain: string;
  /** The form's document fields; `form` is what was posted (kept on a refusal), `url` may name a site to start from. */
  fields: (db: CentralDb, form: URLSearchParams | null, url: URL) => Promise<string>;
  read: (form: URLSearchParams) => Parsed<unknown>;
}

const textArea = (name: string, label: string, value: string, rows = 18) =>
  `<p><label>${esc(label)}<br><textarea name="${name}" rows="${rows}" required>${esc(value)}</textarea></label></p>`;

const PUBLISHERS: Record<string, Publisher> = {
  '/tariffs': {
    kind: 'tariff',
    path: '/tariffs',
    title: 'Publish a tariff',
    explain:
      "A published tariff becomes each chosen lot's newest tariff version once its start has come (central wins; the lot's own versions stay in its history).",
    fields: async (_db, form) => textArea('document', "Tariff document (JSON, the lot console's tariff format)", form?.get('document') ?? ''),
    read: (form) => {
      try {
        return { ok: true, value: JSON.parse(form.get('document') ?? '') as unknown };
      } catch {
        return { ok: false, problem: 'The tariff document is not valid JSON.' };
      }
    },
  },
  '/slot-maps': {
    kind: 'slot_map',
    path: '/slot-maps',
    title: 'Publish a slot map',
    explain:
      'Each listed slot is created at the chosen lots, or set to the listed vehicle type, hourly price and state (central wins for what it lists). ' +
      'Slots a lot has that the map does not list are left as the lot keeps them; closing a slot lets its running bookings run on. Slots are never deleted.',
    fields: async (db, form, url) => {
      const from = parseTargets(new URLSearchParams({ site: url.searchParams.get('from') ?? '' }))[0];
      const start = form?.get('slots') ?? (from ? slotMapText(await slotsOfSite(db, from.lotId, from.localLotId ?? 1)) : '');
      return textArea(
        'slots',
        'Slots, one line each: labels, vehicle type, hourly price in minor units, and "closed" for a closed slot (e.g. "A1-A12 car 4000")',
        start,
      );
    },
    read: (form) => parseSlotMap(form.get('slots') ?? ''),
  },
  '/settings': {
    kind: 'lot_settings',
    path: '/settings',
    title: 'Publish lot settings',
    explain:
      "Only the settings filled in change at the chosen lots (central wins for those); the others keep each lot's own value. Bookings already made keep their times and prices.",
    fields: async (_db, form) =>
      SETTING_FIELDS.map(
        (field) =>
          `<p><label>${esc(field.label)} <input name="${field.name}" ${field.numeric ? 'inputmode="numeric"' : ''} value="${esc(form?.get(field.name) ?? '')}"></label></p>`,
      ).join(''),
    read: parseSettings,
  },
};

async function publishBody(db: CentralDb, publisher: Publisher, url: URL, form: URLSearchParams | null, outcome: { ok: boolean; message: string } | null) {
  const sites = await listSites(db);
  const chosen = new Set(form?.getAll('site') ?? []);
  const boxes = sites
    .map((site) => {
      const value = `${site.lotId}/${site.localLotId}`;
      return `<label><input type="checkbox" name="site" value="${esc(value)}"${chosen.has(value) ? ' checked' : ''}> ${esc(site.lot)} · ${esc(site.name)} (${esc(site.timeZone)})</label><br>`;
    })
    .join('');
  const startFrom =
    publisher.kind === 'slot_map' && sites.length
      ? `<form method="get" action="${publisher.path}" class="card"><label>Start from a lot's current map <select name="from">${sites
          .map((site) => `<option value="${esc(`${site.lotId}/${site.localLotId}`)}">${esc(site.lot)} · ${esc(site.name)}</option>`)
          .join('')}</select></label> <button>Load</button></form><br>`
      : '';
  return `${startFrom}<form method="post" action="${publisher.path}" class="card">
    ${outcome ? `<p class="${outcome.ok ? 'ok' : 'bad'}" role="status">${esc(outcome.message)}</p>` : ''}
    <p>${esc(publisher.explain)}</p>
    <fieldset><legend>Lots</legend>${boxes || 'No lot has reported yet.'}</fieldset>
    <p><label>Effective from (UTC) <input name="effectiveFrom" type="datetime-local" value="${esc(form?.get('effectiveFrom') ?? '')}" required></label></p>
    ${await publisher.fields(db, form, url)}
    <button>Publish</button></form>
    <h2>Published documents</h2>${documentsTable(await documentsOverview(db))}`;
}

const KIND_NAMES: Record<DocumentKind, string> = { tariff: 'Tariff', slot_map: 'Slot map', lot_settings: 'Lot settings' };

/** Each document with what became of it at its lot: waiting, applied, or refused with the lot's reason. */
function documentsTable(documents: DocumentView[]): string {
  const rows = documents
    .map((doc) => {
      const state = doc.refused
        ? `<span class="bad">Refused by the lot: ${esc(doc.refused)}</span>`
        : doc.appliedAt
          ? `<span class="ok">Applied ${at(doc.appliedAt)}</span>`
          : doc.effectiveFrom.getTime() > Date.now()
            ? 'Waiting for its start'
            : 'Due; the lot has not reported it applied yet';
      return `<tr><td>${esc(doc.lot)}</td><td>${doc.version}</td><td>${esc(KIND_NAMES[doc.kind] ?? doc.kind)}</td><td>${at(doc.effectiveFrom)}</td>
        <td>${esc(doc.createdBy)}, ${at(doc.createdAt)}</td><td>${state}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Lot</th><th>Document</th><th>Kind</th><th>Effective from</th><th>Published by</th><th>At the lot</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="6">Nothing published yet.</td></tr>'}</tbody></table>`;
}

async function publish(db: CentralDb, publisher: Publisher, form: URLSearchParams, by: string): Promise<{ ok: boolean; message: string }> {
  const targets = parseTargets(form);
  if (!targets.length) return { ok: false, message: 'Choose at least one lot.' };
  const effectiveFrom = parseEffectiveFrom(form);
  if (!Number.isFinite(effectiveFrom)) return { ok: false, message: 'Give the date and time it takes effect.' };
  const document = publisher.read(form);
  if (!document.ok) return { ok: false, message: document.problem };
  try {
    const published = await publishDocument(db, { kind: publisher.kind, targets, document: document.value, effectiveFrom, by });
    const names = new Map((await listSites(db)).map((site) => [`${site.lotId}/${site.localLotId}`, `${site.lot} · ${site.name}`]));
    const when = new Date(effectiveFrom).toISOString().slice(0, 16).replace('T', ' ');
    return {
      ok: true,
      message: `Published to ${published
        .map((copy) => `${names.get(`${copy.lotId}/${copy.localLotId}`) ?? copy.lotId} (document ${copy.version})`)
        .join(', ')}; it applies there from ${when} UTC, or as soon as each lot next connects after that.`,
    };
  } catch (error) {
    if (error instanceof DocumentRefused) return { ok: false, message: error.message };
    throw error;
  }
}
