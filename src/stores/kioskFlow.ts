import { create } from 'zustand';
import type { BookingType } from '../../shared/vocabulary';
import type { VehicleFilter } from '../lib/vehicles';

export type KioskScreen = 'home' | 'slots' | 'vehicle' | 'confirm' | 'booking' | 'find';
export type FindField = 'reference' | 'vehicle';

/**
 * Where the driver is in the flow and what they have chosen or typed so far. Only UI state:
 * slots, lots and bookings themselves live in the tRPC/react-query cache.
 */
interface KioskFlowState {
  screen: KioskScreen;
  vehicleFilter: VehicleFilter;
  selectedSlotId: number | null;
  vehicleNumber: string;
  bookingType: BookingType;
  /** Chosen start of an Advance booking (UTC ms), null until the driver picks one. */
  advanceStartMs: number | null;
  /** The booking whose confirmation is on screen. */
  bookingId: number | null;
  findReference: string;
  findVehicle: string;
  findField: FindField;

  go(screen: KioskScreen): void;
  setVehicleFilter(filter: VehicleFilter): void;
  selectSlot(slotId: number | null): void;
  setVehicleNumber(value: string): void;
  setBookingType(type: BookingType): void;
  setAdvanceStart(ms: number | null): void;
  showBooking(bookingId: number): void;
  setFindField(field: FindField): void;
  setFindValue(field: FindField, value: string): void;
  /** Back to the attract screen with nothing remembered (the next driver starts clean). */
  reset(): void;
}

const initial = {
  screen: 'home' as KioskScreen,
  vehicleFilter: 'all' as VehicleFilter,
  selectedSlotId: null,
  vehicleNumber: '',
  bookingType: 'instant' as const,
  advanceStartMs: null,
  bookingId: null,
  findReference: '',
  findVehicle: '',
  findField: 'reference' as FindField,
};

export const useKioskFlow = create<KioskFlowState>((set) => ({
  ...initial,
  go: (screen) => set({ screen }),
  setVehicleFilter: (vehicleFilter) => set({ vehicleFilter }),
  selectSlot: (selectedSlotId) => set({ selectedSlotId }),
  setVehicleNumber: (vehicleNumber) => set({ vehicleNumber }),
  setBookingType: (bookingType) => set({ bookingType }),
  setAdvanceStart: (advanceStartMs) => set({ advanceStartMs }),
  showBooking: (bookingId) => set({ bookingId, screen: 'booking' }),
  setFindField: (findField) => set({ findField }),
  setFindValue: (field, value) => set(field === 'reference' ? { findReference: value } : { findVehicle: value }),
  reset: () => set(initial),
}));
