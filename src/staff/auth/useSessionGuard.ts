import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { credentials } from '../../api/credentials';
import { useTRPC } from '../../api/trpc';
import { errorCode } from '../../lib/errors';

/**
 * When a call says the staff session is gone (12 h passed, logged out elsewhere, account
 * deactivated), ask the server about the current token. The answer (auth.status) decides:
 * StaffApp signs out only if *this* token is dead, so a late failure of a request made with
 * an older token cannot sign out whoever has just logged in.
 */
export function useSessionGuard(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    const onError = (error: unknown) => {
      if (errorCode(error) !== 'UNAUTHORIZED' || credentials.staffToken() === null) return;
      void queryClient.invalidateQueries(trpc.auth.status.queryFilter());
    };
    // 'failed' is the first failed attempt: no need to wait for a retry to hear the news.
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && (event.action.type === 'error' || event.action.type === 'failed')) onError(event.action.error);
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient, trpc]);
}
