import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { credentials } from '../../api/credentials';
import { useTRPC } from '../../api/trpc';
import { ErrorNote } from '../ui/Notice';

/** First run: no staff exists yet, so the first person sets up the owner account. */
export function SetupScreen() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [setupCode, setSetupCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const setup = useMutation(
    trpc.auth.setup.mutationOptions({
      onSuccess: async (result) => {
        credentials.setStaffToken(result.token);
        await queryClient.invalidateQueries(trpc.auth.status.queryFilter());
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6,8}$/.test(pin)) return setProblem('A PIN is 6 to 8 digits.');
    if (pin !== again) return setProblem('The two PINs are not the same.');
    setProblem(null);
    setup.mutate(setupCode.trim() ? { name: name.trim(), pin, setupCode: setupCode.trim() } : { name: name.trim(), pin });
  };
  return (
    <div className="staff staff-center">
      <form className="auth-card" onSubmit={submit} aria-label="First-run setup">
        <p className="eyebrow">Parking · First run</p>
        <h1>Set up the owner account</h1>
        <p className="muted">This kiosk has no staff yet. The owner manages staff, slots and prices; keep the PIN private.</p>
        <label className="field">
          <span>Your name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} autoFocus required />
        </label>
        <label className="field">
          <span>Owner PIN (6–8 digits)</span>
          <input type="password" inputMode="numeric" value={pin} maxLength={8} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
        </label>
        <label className="field">
          <span>PIN again</span>
          <input type="password" inputMode="numeric" value={again} maxLength={8} onChange={(e) => setAgain(e.target.value.replace(/\D/g, ''))} />
        </label>
        <label className="field">
          <span>Setup code (from another device only: the kiosk printed it when it started)</span>
          <input value={setupCode} maxLength={16} autoComplete="off" onChange={(e) => setSetupCode(e.target.value)} />
        </label>
        {problem && (
          <p className="error-note" role="alert">
            {problem}
          </p>
        )}
        <ErrorNote error={setup.error} />
        <button type="submit" className="primary wide" disabled={setup.isPending || !name.trim()}>
          Create owner and log in
        </button>
      </form>
    </div>
  );
}
