/**
 * The core's typed errors. They live in shared/ (the plate rules both processes use throw them
 * too); this module is the core's door to them, so core files keep one short import.
 */
export { DomainError, fail } from '../../../shared/errors';
export type { DomainErrorCode, ErrorReason, ErrorReasonCode } from '../../../shared/vocabulary';
