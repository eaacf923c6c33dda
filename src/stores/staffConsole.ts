import { create } from 'zustand';
import type { BookingStatus } from '../../shared/vocabulary';

export type ConsoleSection = 'bookings' | 'map' | 'slots' | 'tariff' | 'reports' | 'audit' | 'backups' | 'receipts' | 'settings' | 'staff' | 'kiosks';
export type StatusFilter = 'all' | BookingStatus;

export interface BookingFilters {
  search: string;
  status: StatusFilter;
  slotId: number | null;
  /** Local calendar dates (YYYY-MM-DD), inclusive; empty = open-ended. */
  fromDate: string;
  toDate: string;
  order: 'newest' | 'oldest';
  pageSize: number;
}

export const DEFAULT_FILTERS: BookingFilters = {
  search: '',
  status: 'all',
  slotId: null,
  fromDate: '',
  toDate: '',
  order: 'newest',
  pageSize: 25,
};

/**
 * What the console is showing and how the lists are filtered. UI state only: bookings, slots
 * and reports stay in the tRPC/react-query cache.
 */
interface StaffConsoleState {
  section: ConsoleSection;
  filters: BookingFilters;
  /** Keyset cursors of the pages visited so far; the last one is the page on screen. */
  bookingCursors: (number | null)[];
  selectedBookingId: number | null;
  auditAction: string;
  auditCursors: (number | null)[];
  /** Lot calendar dates (YYYY-MM-DD); empty until staff pick a period. */
  reportFrom: string;
  reportTo: string;
  /** Why the last session ended (shown on the login screen). */
  signedOutReason: string | null;
  /** The first-run wizard stays open on its slots step until the owner finishes it. */
  setupOpen: boolean;

  go(section: ConsoleSection): void;
  setFilters(patch: Partial<BookingFilters>): void;
  resetFilters(): void;
  nextBookingPage(cursor: number): void;
  previousBookingPage(): void;
  openBooking(id: number | null): void;
  setAuditAction(action: string): void;
  nextAuditPage(cursor: number): void;
  previousAuditPage(): void;
  setReportPeriod(from: string, to: string): void;
  signedOut(reason: string | null): void;
  setSetupOpen(open: boolean): void;
}

export const useStaffConsole = create<StaffConsoleState>((set) => ({
  section: 'bookings',
  filters: DEFAULT_FILTERS,
  bookingCursors: [null],
  selectedBookingId: null,
  auditAction: '',
  auditCursors: [null],
  // Empty = the last 7 days on the lot's clock, worked out where the clock is known.
  reportFrom: '',
  reportTo: '',
  signedOutReason: null,
  setupOpen: false,

  go: (section) => set({ section }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch }, bookingCursors: [null] })),
  resetFilters: () => set({ filters: DEFAULT_FILTERS, bookingCursors: [null] }),
  nextBookingPage: (cursor) => set((s) => ({ bookingCursors: [...s.bookingCursors, cursor] })),
  previousBookingPage: () => set((s) => ({ bookingCursors: s.bookingCursors.length > 1 ? s.bookingCursors.slice(0, -1) : s.bookingCursors })),
  openBooking: (id) => set(id === null ? { selectedBookingId: null } : { selectedBookingId: id, section: 'bookings' }),
  setAuditAction: (auditAction) => set({ auditAction, auditCursors: [null] }),
  nextAuditPage: (cursor) => set((s) => ({ auditCursors: [...s.auditCursors, cursor] })),
  previousAuditPage: () => set((s) => ({ auditCursors: s.auditCursors.length > 1 ? s.auditCursors.slice(0, -1) : s.auditCursors })),
  setReportPeriod: (reportFrom, reportTo) => set({ reportFrom, reportTo }),
  setSetupOpen: (setupOpen) => set({ setupOpen }),
  signedOut: (signedOutReason) => set({ signedOutReason, section: 'bookings', selectedBookingId: null, bookingCursors: [null], auditCursors: [null] }),
}));
