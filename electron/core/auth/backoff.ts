// Pure (no store): the lot's PIN login (throttle.ts) and the central console's login (central/auth.ts) share it.

/**
 * Growing delays instead of a lock-out: the first `freeFailures` wrong tries cost nothing,
 * then each one makes the client wait twice as long as the last (from `firstDelayMs` up to
 * `maxDelayMs`). A client that stays quiet for `forgetMs`, or gets it right, starts afresh.
 */
export interface BackoffPolicy {
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  forgetMs: number;
}

export const backoffDelay = (failures: number, policy: BackoffPolicy): number =>
  failures <= policy.freeFailures ? 0 : Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (failures - policy.freeFailures - 1));
