import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { formatDateTime } from '../format';
import type { StaffRole } from '../../../shared/vocabulary';
import type { Me } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';

/** Owner only: who may log in to the console, and with which role. */
export function StaffSection({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const staff = useQuery(trpc.staff.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries(trpc.staff.pathFilter());
  const deactivate = useMutation(trpc.staff.deactivate.mutationOptions({ onSuccess: refresh }));
  return (
    <section className="section" aria-label="Staff">
      <div className="section-head">
        <h1>Staff</h1>
      </div>
      <div className="two-col">
        <div>
          <ErrorNote error={staff.error ?? deactivate.error} />
          <div className="table-wrap">
            <table className="data-table" aria-label="Staff members">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Role</th>
                  <th>Status</th>
                  <th>Last login</th>
                  <th>Added</th>
                  <th aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {staff.data?.map((m) => (
                  <tr key={m.id} data-staff={m.name} className={m.active ? '' : 'row-muted'}>
                    <td className="strong">
                      {m.name}
                      {m.id === me.id && <span className="tag">you</span>}
                    </td>
                    <td>
                      <span className={`role role-${m.role}`}>{m.role}</span>
                    </td>
                    <td>{m.active ? 'Active' : 'Deactivated'}</td>
                    <td>{m.lastLoginAt ? formatDateTime(m.lastLoginAt) : '–'}</td>
                    <td>{formatDateTime(m.createdAt)}</td>
                    <td className="row-actions">
                      {m.active && m.id !== me.id && (
                        <button
                          type="button"
                          className="small danger-text"
                          onClick={() => window.confirm(`Deactivate ${m.name}? Their PIN stops working at once.`) && deactivate.mutate({ staffId: m.id })}
                        >
                          Deactivate
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <AddStaffCard onAdded={refresh} />
      </div>
    </section>
  );
}

function AddStaffCard({ onAdded }: { onAdded(): void }) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('staff');
  const [pin, setPin] = useState('');
  const add = useMutation(
    trpc.staff.add.mutationOptions({
      onSuccess: () => {
        onAdded();
        setName('');
        setPin('');
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ name: name.trim(), role, pin });
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Add staff">
      <h2>Add a staff member</h2>
      <label className="field">
        <span>Name</span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={40} required />
      </label>
      <label className="field">
        <span>Role</span>
        <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
          <option value="staff">Staff</option>
          <option value="owner">Owner (also prices and staff)</option>
        </select>
      </label>
      <label className="field">
        <span>PIN (6–8 digits, not an easy one)</span>
        <input type="password" inputMode="numeric" value={pin} maxLength={8} onChange={(e) => setPin(e.target.value.replace(/\D/g, ''))} />
      </label>
      <ErrorNote error={add.error} />
      {add.isSuccess && <p className="ok-note">{add.data.name} can now log in.</p>}
      <button type="submit" className="primary" disabled={add.isPending || !name.trim() || pin.length < 6}>
        Add staff member
      </button>
    </form>
  );
}
