import { matchQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { credentials } from '../api/credentials';
import { useTRPC } from '../api/trpc';
import { useStaffConsole } from '../stores/staffConsole';
import '../styles/staff.css';
import { LoginScreen } from './auth/LoginScreen';
import { SetupScreen } from './auth/SetupScreen';
import { useSessionGuard } from './auth/useSessionGuard';
import { errorMessage } from '../lib/errors';

// The console (tables, charts) loads only when staff sign in, so the driver's kiosk never pays for it.
const ConsoleShell = lazy(() => import('./ConsoleShell').then((m) => ({ default: m.ConsoleShell })));

/** The staff console: first-run setup, PIN login, then the console itself. */
export function StaffApp() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Re-checked every minute, so a console left open shows the login once its 12 h session ends.
  const status = useQuery({ ...trpc.auth.status.queryOptions(), refetchInterval: 60_000 });
  const signedOut = useStaffConsole((s) => s.signedOut);
  useSessionGuard();

  // Signed out (settled answer only: right after login the cached answer predates the new token).
  // A token the server no longer knows (expired, or the member was deactivated) is dropped, and
  // nothing from the last session stays cached for the next person at this screen.
  const signedOutNow = status.data !== undefined && !status.isFetching && status.data.signedIn === null;
  useEffect(() => {
    if (!signedOutNow) return;
    if (credentials.staffToken() !== null) {
      credentials.setStaffToken(null);
      signedOut('Your staff session has ended. Please log in again.');
    }
    // Everything but the auth status itself (matched by tRPC's own key for it).
    const authStatus = trpc.auth.status.pathFilter();
    queryClient.removeQueries({ predicate: (query) => !matchQuery(authStatus, query) });
  }, [signedOutNow, signedOut, queryClient, trpc]);

  useEffect(() => {
    document.title = 'Staff console · Parking';
  }, []);

  if (status.isPending) return <div className="staff staff-center muted">Connecting to the lot…</div>;
  if (status.isError) {
    return (
      <div className="staff staff-center">
        <div className="auth-card">
          <h1>Cannot reach the lot</h1>
          <p className="error-note">{errorMessage(status.error)}</p>
          <button type="button" className="primary" onClick={() => void status.refetch()}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (status.data.setupRequired) return <SetupScreen />;
  if (!status.data.signedIn) return <LoginScreen />;
  return (
    <Suspense fallback={<div className="staff staff-center muted">Opening the console…</div>}>
      <ConsoleShell me={status.data.signedIn} />
    </Suspense>
  );
}
