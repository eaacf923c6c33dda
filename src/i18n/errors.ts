import { TRPCClientError } from '@trpc/client';
import type { ErrorReasonCode } from '../../shared/vocabulary';
import { errorCode, errorReason } from '../lib/errors';
import type { KioskLanguage } from '../stores/kioskLanguage';
import type { Messages } from './en';

export interface ErrorContext {
  /** Messages that say more than the generic text for a code, in this place of the flow. */
  overrides?: Partial<Record<string, string>>;
}

export interface ShownError {
  code: string;
  /** Plain words from the catalog. */
  text: string;
  /** The server's own sentence (English), shown under the catalog text when it adds something. */
  detail: string | null;
}

/**
 * Maps an error to words for the driver. A catalog sentence written for this place in the
 * flow (an override) wins. Otherwise the server's own message is shown on an English kiosk
 * (it is English and often more exact: "Slot A3 is already booked…"); in another language
 * the catalog's sentence for the code is shown, with the server's under it only when the
 * catalog has nothing for that code.
 */
export function describeError(error: unknown, t: Messages, language: KioskLanguage, context: ErrorContext = {}): ShownError {
  const code = errorCode(error);
  const server = error instanceof TRPCClientError && code !== 'OFFLINE' && error.message ? error.message : null;
  const override = context.overrides?.[code];
  // A stable reason the catalog has words for says more than the code, in every language.
  const reason = errorReason(error);
  const byReason = reason ? (t.errors.reasons as Partial<Record<ErrorReasonCode, string>>)[reason] : undefined;
  if (!override && byReason) return { code, text: byReason, detail: null };
  const generic = code === 'OFFLINE' ? t.errors.offline : (t.errors as unknown as Record<string, string>)[code];
  if (override) return { code, text: override, detail: null };
  if (language === 'en' && server) return { code, text: server, detail: null };
  if (generic) return { code, text: generic, detail: null };
  return { code, text: t.errors.INTERNAL_SERVER_ERROR, detail: server };
}
