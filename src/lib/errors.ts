import { TRPCClientError } from '@trpc/client';
import { asErrorReasonCode, type ErrorReasonCode } from '../../shared/vocabulary';

/** A tRPC error code, or "OFFLINE" when the server could not be reached at all. */
export type ErrorCode = string;

/** The tRPC code of an error, or "OFFLINE" when the server could not be reached at all (kiosk and console alike). */
export function errorCode(error: unknown): ErrorCode {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code ?? (error.shape as { data?: { code?: string } } | undefined)?.data?.code;
    if (code) return code;
  }
  return 'OFFLINE';
}

/** The server's stable reason for a failure (shared/vocabulary.ts), when it gives one this build knows. */
export function errorReason(error: unknown): ErrorReasonCode | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  return asErrorReasonCode((error.data as { reason?: unknown } | undefined)?.reason);
}

/** The server's message (already written for people, English: the console's language) or a plain fallback. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message || 'Something went wrong.';
  return 'Something went wrong.';
}
