import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect } from 'react';
import { credentials } from '../api/credentials';
import { useTRPC } from '../api/trpc';
import { useStaffConsole } from '../stores/staffConsole';
import '../styles/staff.css';
import { LoginScreen } from './auth/LoginScreen';
import { SetupScreen } from './auth/SetupScreen';
import { useSessionGuard } from './auth/useSessionGuard';
import { errorMessage } from './errors';

// The console (tables, charts) loads only when staff sign in, so the driver's kiosk never pays for it.
const ConsoleShell = lazy(() => import('./ConsoleShell').then((m) => ({ default: m.ConsoleShell })));

/** The staff console: first-run setup, PIN login, then the console itself. */
export function StaffApp() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.auth.status.queryOptions());
  const signedOut = useStaffConsole((s) => s.signedOut);
  useSessionGuard();

  // A token the server no longer knows (expired, or the member was deactivated) is dropped.
  // (Only on a settled answer: right after login the cached answer predates the new token.)
  const staleToken = status.data && !status.isFetching && !status.data.signedIn && credentials.staffToken() !== null;
  useEffect(() => {
    if (!staleToken) return;
    credentials.setStaffToken(null);
    signedOut('Your staff session has ended. Please log in again.');
    void queryClient.invalidateQueries(trpc.auth.status.queryFilter());
  }, [staleToken, signedOut, queryClient, trpc]);

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
