import { create } from 'zustand';
import type { BookingType } from '../../shared/vocabulary';
import type { VehicleFilter } from '../lib/vehicles';

/**
 * The screen on show, with what that screen needs to exist: the booking screen is always about
 * one booking, so its id is part of it (no screen guards a "booking screen without a booking").
 */
export type KioskView =
  { screen: 'home' } | { screen: 'slots' } | { screen: 'vehicle' } | { screen: 'confirm' } | { screen: 'booking'; bookingId: number } | { screen: 'find' };

export type KioskScreen = KioskView['screen'];
export type FindField = 'reference' | 'vehicle';

/**
 * Which screen may follow which (a reset back to home is always allowed, see `reset`). Screens
 * move through `flowStep(theirOwnScreen)`, so a step the table does not allow does not compile.
 */
export const NEXT_SCREENS = {
  home: ['slots', 'find'],
  slots: ['vehicle'],
  vehicle: ['slots', 'confirm'],
  confirm: ['slots', 'vehicle', 'booking'],
  // Renew shows the new booking; "book again" / "choose another slot" starts at the map.
  booking: ['booking', 'slots'],
  find: ['booking'],
} as const satisfies Record<KioskScreen, readonly KioskScreen[]>;

export type NextScreen<F extends KioskScreen> = (typeof NEXT_SCREENS)[F][number];
type ViewOf<S extends KioskScreen> = Extract<KioskView, { screen: S }>;
/** Screens entered with nothing but their name. */
type PlainScreen = { [S in KioskScreen]: keyof ViewOf<S> extends 'screen' ? S : never }[KioskScreen];

/**
 * Where the driver is in the flow and what they have chosen or typed so far. Only UI state:
 * slots, lots and bookings themselves live in the tRPC/react-query cache. The chosen slot is a
 * draft, not part of a view: the server may take it away at any moment (another driver's hold),
 * and the screens say so.
 */
interface KioskFlowState {
  view: KioskView;
  vehicleFilter: VehicleFilter;
  selectedSlotId: number | null;
  vehicleNumber: string;
  bookingType: BookingType;
  /** Chosen start of an Advance booking (UTC ms), null until the driver picks one. */
  advanceStartMs: number | null;
  findReference: string;
  findVehicle: string;
  findField: FindField;

  /** Shows `view`. Use `flowStep` (typed by NEXT_SCREENS) rather than calling this directly. */
  enter(view: KioskView): void;
  setVehicleFilter(filter: VehicleFilter): void;
  selectSlot(slotId: number | null): void;
  setVehicleNumber(value: string): void;
  setBookingType(type: BookingType): void;
  setAdvanceStart(ms: number | null): void;
  setFindField(field: FindField): void;
  setFindValue(field: FindField, value: string): void;
  /** Back to the attract screen with nothing remembered (the next driver starts clean). */
  reset(): void;
}

const initial = {
  view: { screen: 'home' } as KioskView,
  vehicleFilter: 'all' as VehicleFilter,
  selectedSlotId: null,
  vehicleNumber: '',
  bookingType: 'instant' as const,
  advanceStartMs: null,
  findReference: '',
  findVehicle: '',
  findField: 'reference' as FindField,
};

export const useKioskFlow = create<KioskFlowState>((set) => ({
  ...initial,
  enter: (view) => set({ view }),
  setVehicleFilter: (vehicleFilter) => set({ vehicleFilter }),
  selectSlot: (selectedSlotId) => set({ selectedSlotId }),
  setVehicleNumber: (vehicleNumber) => set({ vehicleNumber }),
  setBookingType: (bookingType) => set({ bookingType }),
  setAdvanceStart: (advanceStartMs) => set({ advanceStartMs }),
  setFindField: (findField) => set({ findField }),
  setFindValue: (field, value) => set(field === 'reference' ? { findReference: value } : { findVehicle: value }),
  reset: () => set(initial),
}));

/** The screen on show (for the parts that only care which one it is). */
export const useKioskScreen = (): KioskScreen => useKioskFlow((state) => state.view.screen);

export interface FlowStep<F extends KioskScreen> {
  /** To a screen that needs nothing more, if the table lets `F` go there. */
  go(to: Extract<NextScreen<F>, PlainScreen>): void;
  /** To one booking's screen, if the table lets `F` go there. */
  showBooking: 'booking' extends NextScreen<F> ? (bookingId: number) => void : never;
}

const steps = new Map<KioskScreen, FlowStep<KioskScreen>>();

/** The moves screen `from` may make (stable functions: safe in effects and callbacks). */
export function flowStep<F extends KioskScreen>(from: F): FlowStep<F> {
  let step = steps.get(from);
  if (!step) {
    const { enter } = useKioskFlow.getState();
    step = {
      go: (to: PlainScreen) => enter({ screen: to } as KioskView),
      showBooking: ((bookingId: number) => enter({ screen: 'booking', bookingId })) as never,
    };
    steps.set(from, step);
  }
  return step as unknown as FlowStep<F>;
}
