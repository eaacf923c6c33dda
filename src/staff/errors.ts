import { TRPCClientError } from '@trpc/client';

/** The server's message (already written for people) or a plain fallback. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message || 'Something went wrong.';
  return 'Something went wrong.';
}

export const errorCode = (error: unknown): string | undefined =>
  error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
