import type { VehicleType } from '../../shared/vocabulary';

/**
 * The order screens list vehicle types in (cars first, as drivers look for them), typed
 * against the vocabulary; tests/engine/vocabulary-coverage.test.ts checks it names every type.
 */
export const VEHICLE_DISPLAY_ORDER = ['car', 'suv', 'ev', 'bike', 'truck'] as const satisfies readonly VehicleType[];

/** The kiosk's slot filter: every type, or one. */
export type VehicleFilter = 'all' | VehicleType;

export const VEHICLE_FILTERS: readonly VehicleFilter[] = ['all', ...VEHICLE_DISPLAY_ORDER];
