import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../electron/api/router';

type Outputs = inferRouterOutputs<AppRouter>;

export type Lot = Outputs['lot']['list'][number];
export type Booking = Outputs['booking']['list']['items'][number];
export type Me = NonNullable<Outputs['auth']['status']['signedIn']>;
export type AdminSlot = Outputs['slotAdmin']['list'][number];
