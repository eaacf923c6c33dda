import type { VehicleType } from '../../../shared/vocabulary';

/** Simple line pictograms: readable from a step back and free of emoji fonts. */
const PATHS: Record<VehicleType, string> = {
  car: 'M5 17h-1a1 1 0 0 1-1-1v-4l2-5h14l2 5v4a1 1 0 0 1-1 1h-1 M5 12h14 M7.5 17a1.5 1.5 0 1 0 0 .01 M16.5 17a1.5 1.5 0 1 0 0 .01 M9 17h6',
  suv: 'M3 17v-6l2-5h11l3 5h2v6h-2 M3 11h18 M10 6v5 M7 17a2 2 0 1 0 0 .01 M17 17a2 2 0 1 0 0 .01 M9 17h6 M3 17h2',
  ev: 'M5 17h-1a1 1 0 0 1-1-1v-4l2-5h14l2 5v4a1 1 0 0 1-1 1h-1 M7.5 17a1.5 1.5 0 1 0 0 .01 M16.5 17a1.5 1.5 0 1 0 0 .01 M9 17h6 M13 8l-2 3h3l-2 3',
  bike: 'M5.5 17a3.5 3.5 0 1 0 0-.01 M18.5 17a3.5 3.5 0 1 0 0-.01 M5.5 17l4-7h5l4 7 M9.5 10l-1-3h-2 M14.5 10l1.5-3h2 M12 17l-2.5-7',
  truck: 'M2 16V6h11v10 M13 9h4l4 4v3h-2 M2 16h2 M6.5 17a2 2 0 1 0 0 .01 M16.5 17a2 2 0 1 0 0 .01 M9 16h6',
};

export function VehicleIcon({ type, className }: { type: VehicleType; className?: string }) {
  return (
    <svg className={className ?? 'vehicle-icon'} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[type] ?? PATHS.car} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
