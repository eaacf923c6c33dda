import { create } from 'zustand';

/**
 * The kiosk's hold on the slot the driver chose (issue 13). UI state only: the hold itself
 * lives in the database; this remembers the token that proves it is ours.
 */
interface SlotHoldState {
  /** The slot we hold or are asking to hold. */
  slotId: number | null;
  /** null while the hold is being asked for (or could not be placed while offline). */
  token: string | null;
  /** The hold ran out (a renewal was refused): the booking may find the slot taken. */
  lost: boolean;
  /** A slot the driver chose that someone else was already booking. */
  refusedSlotId: number | null;
  asking(slotId: number): void;
  granted(slotId: number, token: string): void;
  refused(slotId: number): void;
  markLost(): void;
  clear(): void;
}

export const useSlotHold = create<SlotHoldState>((set) => ({
  slotId: null,
  token: null,
  lost: false,
  refusedSlotId: null,
  asking: (slotId) => set({ slotId, token: null, lost: false, refusedSlotId: null }),
  granted: (slotId, token) => set((state) => (state.slotId === slotId ? { token } : state)),
  refused: (slotId) => set({ slotId: null, token: null, lost: false, refusedSlotId: slotId }),
  markLost: () => set({ lost: true }),
  clear: () => set({ slotId: null, token: null, lost: false }),
}));
