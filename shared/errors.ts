import type { BareReasonCode, DomainErrorCode, ErrorReason, ErrorReasonCode } from './vocabulary';

/**
 * A failure a person can act on: a tRPC-named code, a human message (English, for logs and the
 * English kiosk) and, where screens must tell failures apart, a reason from the closed set in
 * vocabulary.ts. A reason with parameters must be given as its object (the compiler says so).
 */
export class DomainError extends Error {
  /** The reason's name: what travels on the wire (`data.reason`). */
  readonly reason?: ErrorReasonCode;
  /** The reason with its parameters. */
  readonly detail?: ErrorReason;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    reason?: BareReasonCode | ErrorReason,
  ) {
    super(message);
    this.name = 'DomainError';
    if (reason !== undefined) {
      this.detail = typeof reason === 'string' ? ({ reason } as ErrorReason) : reason;
      this.reason = this.detail.reason;
    }
  }
}

export const fail = (code: DomainErrorCode, message: string, reason?: BareReasonCode | ErrorReason): never => {
  throw new DomainError(code, message, reason);
};

export type { DomainErrorCode, ErrorReason, ErrorReasonCode } from './vocabulary';
