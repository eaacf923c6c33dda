import fc from 'fast-check';

/**
 * The commands a multi-kiosk property test generates (issue 14): bookings at the hub's screen
 * (-1) or a satellite, cancels and renewals of an earlier sale of that kiosk, partitions and
 * heals of a satellite's link, and time passing. Both property tests (in-process and real
 * processes) run these; each sets how many satellites, how often each command comes, and how
 * far a clock move goes.
 */
export function scheduleCommand(options: {
  satellites: number;
  weights: { book: number; cancel: number; renew: number; partition: number; heal: number; advance: number };
  /** A short move (renew steps) and a long one (leases run out), in ms. */
  advance: { short: [number, number]; long: [number, number] };
}) {
  const kiosk = fc.integer({ min: -1, max: options.satellites - 1 });
  const sat = fc.nat(options.satellites - 1);
  const { weights: w, advance } = options;
  return fc.oneof(
    { weight: w.book, arbitrary: fc.record({ t: fc.constant('book' as const), kiosk, slot: fc.nat(30) }) },
    { weight: w.cancel, arbitrary: fc.record({ t: fc.constant('cancel' as const), kiosk, pick: fc.nat(20) }) },
    { weight: w.renew, arbitrary: fc.record({ t: fc.constant('renew' as const), kiosk, pick: fc.nat(20) }) },
    { weight: w.partition, arbitrary: fc.record({ t: fc.constant('partition' as const), sat }) },
    { weight: w.heal, arbitrary: fc.record({ t: fc.constant('heal' as const), sat }) },
    {
      weight: w.advance,
      arbitrary: fc.record({
        t: fc.constant('advance' as const),
        ms: fc.oneof(fc.integer({ min: advance.short[0], max: advance.short[1] }), fc.integer({ min: advance.long[0], max: advance.long[1] })),
      }),
    },
  );
}

export type ScheduleCommand = ReturnType<typeof scheduleCommand> extends fc.Arbitrary<infer T> ? T : never;
