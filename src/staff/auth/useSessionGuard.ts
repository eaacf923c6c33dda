import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { credentials } from '../../api/credentials';
import { useStaffConsole } from '../../stores/staffConsole';
import { errorCode } from '../errors';

/**
 * When any call says the staff session is gone (12 h passed, logged out elsewhere, account
 * deactivated), drop the token and go back to the login screen with the reason.
 */
export function useSessionGuard(): void {
  const queryClient = useQueryClient();
  const signedOut = useStaffConsole((s) => s.signedOut);
  useEffect(() => {
    const onError = (error: unknown) => {
      if (errorCode(error) !== 'UNAUTHORIZED' || credentials.staffToken() === null) return;
      credentials.setStaffToken(null);
      signedOut('Your staff session has ended. Please log in again.');
      void queryClient.resetQueries();
    };
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient, signedOut]);
}
