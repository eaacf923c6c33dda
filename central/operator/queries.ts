import type { CentralDb } from '../db/client';
import { searchBookings, siteFigures, type BookingCursor, type BookingListRow } from '../store/bookings';
import { latestVersions, recentDocuments, refusedCounts, type DocumentStatus } from '../store/documents';
import { alarmCounts } from '../store/events';
import { listLotRows, listSites, siteKey, slotCounts, type Lot } from '../store/lots';

/**
 * What the operator's console shows (console.ts renders it), composed from the stores: each
 * store answers for its own tables, and the pieces are joined here by lot id.
 */

export interface LotOverview extends Lot {
  latestVersion: number;
  /** Documents the lot refused to apply (their reasons are on the publish pages). */
  refused: number;
  alarms: number;
  /** "Name (zone), …" of the lot's sites. */
  sites: string;
}

export async function listLots(db: CentralDb): Promise<LotOverview[]> {
  const [lots, sites, versions, refused, alarms] = await Promise.all([listLotRows(db), listSites(db), latestVersions(db), refusedCounts(db), alarmCounts(db)]);
  return lots.map((lot) => ({
    ...lot,
    latestVersion: versions.get(lot.lotId) ?? 0,
    refused: refused.get(lot.lotId) ?? 0,
    alarms: alarms.get(lot.lotId) ?? 0,
    sites: sites
      .filter((site) => site.lotId === lot.lotId)
      .map((site) => `${site.name} (${site.timeZone})`)
      .join(', '),
  }));
}

export interface BookingView extends BookingListRow {
  lot: string;
  currency: string | null;
  timeZone: string | null;
}

export interface BookingPage {
  rows: BookingView[];
  /** Where the next page starts, or null on the last page. */
  next: BookingCursor | null;
}

/** A page of bookings across lots, newest first (keyset: `after` is the previous page's `next`). */
export async function bookingsPage(db: CentralDb, search: string, after: BookingCursor | null, pageSize = 100): Promise<BookingPage> {
  const [found, lots, sites] = await Promise.all([searchBookings(db, search, { after, limit: pageSize + 1 }), listLotRows(db), listSites(db)]);
  const names = new Map(lots.map((lot) => [lot.lotId, lot.name]));
  const bySite = new Map(sites.map((site) => [siteKey(site.lotId, site.localLotId), site]));
  const rows = found.slice(0, pageSize).map((booking) => {
    const site = bySite.get(siteKey(booking.lotId, booking.localLotId));
    return { ...booking, lot: names.get(booking.lotId) ?? booking.lotId, currency: site?.currency ?? null, timeZone: site?.timeZone ?? null };
  });
  const last = rows[rows.length - 1];
  return { rows, next: found.length > pageSize && last ? { createdAt: last.createdAt, lotId: last.lotId, bookingId: last.bookingId } : null };
}

export interface SiteReport {
  lot: string;
  site: string;
  timeZone: string;
  currency: string;
  slots: number;
  occupied: number;
  /** Sold today (bookings made since the lot's local midnight, cancelled ones excepted), add-ons included. */
  revenueToday: number;
  revenueTotal: number;
}

/** Occupancy now and revenue per lot, "today" in each lot's own time zone. */
export async function siteReports(db: CentralDb): Promise<SiteReport[]> {
  const sites = await listSites(db);
  const [slots, figures] = await Promise.all([slotCounts(db), siteFigures(db, sites)]);
  return sites.map((site) => {
    const key = siteKey(site.lotId, site.localLotId);
    const figure = figures.get(key);
    return {
      lot: site.lot,
      site: site.name,
      timeZone: site.timeZone,
      currency: site.currency,
      slots: slots.get(key) ?? 0,
      occupied: figure?.occupied ?? 0,
      revenueToday: figure?.revenueToday ?? 0,
      revenueTotal: figure?.revenueTotal ?? 0,
    };
  });
}

export interface DocumentView extends DocumentStatus {
  lot: string;
}

/** The newest documents published, with the lot's name and what became of each there. */
export async function documentsOverview(db: CentralDb): Promise<DocumentView[]> {
  const [documents, lots] = await Promise.all([recentDocuments(db), listLotRows(db)]);
  const names = new Map(lots.map((lot) => [lot.lotId, lot.name]));
  return documents.map((doc) => ({ ...doc, lot: names.get(doc.lotId) ?? doc.lotId }));
}
