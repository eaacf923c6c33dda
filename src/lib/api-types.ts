import type { inferRouterOutputs } from '@trpc/server';
// Type-only: the renderer never loads electron/ code, it only reads the router's shape.
import type { AppRouter } from '../../electron/api/router';

/** What the server answers, by procedure: the one home of the renderer's names for it. */
type Outputs = inferRouterOutputs<AppRouter>;

export type Lot = Outputs['lot']['list'][number];
export type Slot = Outputs['slot']['list'][number];
/** One booking as `booking.get` and `booking.watch` give it (the kiosk's confirmation). */
export type Booking = Outputs['booking']['get'];
/** A row of the console's booking list (`booking.list`). */
export type BookingListItem = Outputs['booking']['list']['items'][number];
/** The signed-in staff member. */
export type Me = NonNullable<Outputs['auth']['status']['signedIn']>;
export type AdminSlot = Outputs['slotAdmin']['list'][number];
