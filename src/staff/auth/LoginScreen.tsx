import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { credentials } from '../../api/credentials';
import { useTRPC } from '../../api/trpc';
import { useStaffConsole } from '../../stores/staffConsole';
import { errorCode, errorMessage, errorReason } from '../../lib/errors';

export function LoginScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pin, setPin] = useState('');
  // Asked for only when two staff members share the PIN (the server says NAME_NEEDED).
  const [name, setName] = useState('');
  const [needName, setNeedName] = useState(false);
  const reason = useStaffConsole((s) => s.signedOutReason);
  const signedOut = useStaffConsole((s) => s.signedOut);
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async (result) => {
        credentials.setStaffToken(result.token);
        signedOut(null);
        await queryClient.invalidateQueries(trpc.auth.status.queryFilter());
      },
      onError: (error) => {
        setPin('');
        if (errorReason(error) === 'NAME_NEEDED') setNeedName(true);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pin.length > 0) login.mutate(needName && name.trim() ? { pin, name: name.trim() } : { pin });
  };
  const locked = errorCode(login.error) === 'TOO_MANY_REQUESTS';
  return (
    <div className="staff staff-center">
      <form className="auth-card" onSubmit={submit} aria-label="Staff login">
        <p className="eyebrow">Parking · Staff console</p>
        <h1>Log in</h1>
        <p className="muted">Enter your staff PIN.{window.kioskIpc ? " The kiosk's driver screen is in the other window." : ''}</p>
        {reason && !login.error && <p className="info-note">{reason}</p>}
        {needName && (
          <label className="field">
            <span>Your name</span>
            <input value={name} onChange={(event) => setName(event.target.value)} maxLength={40} autoComplete="username" />
          </label>
        )}
        <label className="field">
          <span>PIN</span>
          <input
            type="password"
            inputMode="numeric"
            autoComplete="current-password"
            autoFocus
            maxLength={8}
            value={pin}
            onChange={(event) => setPin(event.target.value.replace(/\D/g, ''))}
            aria-invalid={login.isError}
          />
        </label>
        {login.error && (
          <p className={locked ? 'error-note locked' : 'error-note'} role="alert">
            {errorMessage(login.error)}
          </p>
        )}
        <button type="submit" className="primary wide" disabled={login.isPending || pin.length < 6}>
          {login.isPending ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
