/**
 * Failures a person can act on. The codes are tRPC's names so the router maps them one to
 * one, but nothing here depends on tRPC: the core stays transport-free.
 */
export type DomainErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'TOO_MANY_REQUESTS'
  | 'SERVICE_UNAVAILABLE';

/** A finer, stable reason for screens that must tell two failures of one code apart. */
export type DomainErrorReason =
  | 'SLOT_TAKEN'
  | 'VEHICLE_BUSY'
  // Setting up a lot and its slots (console first run and settings).
  | 'LOT_EXISTS'
  | 'TIME_ZONE_UNKNOWN'
  | 'CURRENCY_UNSUPPORTED'
  | 'LABELS_INVALID'
  | 'LABEL_TAKEN';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly reason?: DomainErrorReason,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const fail = (code: DomainErrorCode, message: string, reason?: DomainErrorReason): never => {
  throw new DomainError(code, message, reason);
};
