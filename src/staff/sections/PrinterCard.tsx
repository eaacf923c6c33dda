import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import type { Me } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';

type StatusCheck = 'require' | 'best-effort' | 'off';
type Connection = 'network' | 'usb';

const DEFAULT_USB_DEVICE = '/dev/usb/lp0';

/** The receipt printer: on the network (address, port, status check) or on USB (device path), paper width; the owner saves, staff test. */
export function PrinterCard({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useMessages();
  const c = t.console.receipts;
  const config = useQuery(trpc.printer.get.queryOptions());
  const [connection, setConnection] = useState<Connection>('network');
  const [host, setHost] = useState('');
  const [device, setDevice] = useState(DEFAULT_USB_DEVICE);
  const [port, setPort] = useState('9100');
  const [columns, setColumns] = useState(42);
  const [statusCheck, setStatusCheck] = useState<StatusCheck>('require');
  const saved = config.data;
  useEffect(() => {
    if (saved?.kind === 'usb') {
      setConnection('usb');
      setDevice(saved.device);
      setColumns(saved.columns);
      return;
    }
    if (saved?.kind !== 'network') return;
    setConnection('network');
    setHost(saved.host);
    setPort(String(saved.port));
    setColumns(saved.columns);
    setStatusCheck(saved.statusCheck);
  }, [saved]);
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.printer.get.queryFilter());
    void queryClient.invalidateQueries(trpc.printer.available.queryFilter());
  };
  const configure = useMutation(trpc.printer.configure.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.printer.test.mutationOptions());
  const owner = me.role === 'owner';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    test.reset();
    if (connection === 'usb') configure.mutate({ kind: 'usb', device: device.trim(), columns, timeoutMs: 3000 });
    else configure.mutate({ kind: 'network', host: host.trim(), port: Number(port), columns, timeoutMs: 3000, statusCheck });
  };
  const outcome = test.data;
  const configured = saved !== undefined && saved.kind !== 'none';
  const ready = connection === 'usb' ? device.trim() !== '' : host.trim() !== '';
  // Over USB there is no status option to suggest, so a timeout gets its own words.
  const failure = (reason: string) => (saved?.kind === 'usb' && reason === 'TIMEOUT' ? c.usbTimeout : (c.print[reason] ?? reason));
  return (
    <div className="card printer-card">
      <h2>{c.printerTitle}</h2>
      <p className="muted small-print">{c.printerHint}</p>
      <p data-testid="printer-state">
        {saved?.kind === 'network'
          ? fill(c.printerAt, { host: saved.host, port: saved.port, columns: saved.columns })
          : saved?.kind === 'usb'
            ? fill(c.printerUsbAt, { device: saved.device, columns: saved.columns })
            : c.printerNone}
      </p>
      <form onSubmit={submit} aria-label={c.printerTitle}>
        <div className="form-row">
          <label className="field">
            <span>{c.connection}</span>
            <select value={connection} onChange={(e) => setConnection(e.target.value as Connection)} disabled={!owner} data-testid="printer-connection">
              <option value="network">{c.connectionNetwork}</option>
              <option value="usb">{c.connectionUsb}</option>
            </select>
          </label>
        </div>
        {connection === 'usb' ? (
          <div className="form-row">
            <label className="field grow">
              <span>{c.device}</span>
              <input
                value={device}
                onChange={(e) => setDevice(e.target.value)}
                placeholder={DEFAULT_USB_DEVICE}
                spellCheck={false}
                autoComplete="off"
                disabled={!owner}
                data-testid="printer-device"
              />
            </label>
          </div>
        ) : (
          <div className="form-row">
            <label className="field grow">
              <span>{c.host}</span>
              <input
                value={host}
                onChange={(e) => setHost(e.target.value)}
                placeholder="192.168.1.50"
                spellCheck={false}
                autoComplete="off"
                disabled={!owner}
                data-testid="printer-host"
              />
            </label>
            <label className="field port-field">
              <span>{c.port}</span>
              <input type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} disabled={!owner} data-testid="printer-port" />
            </label>
          </div>
        )}
        {connection === 'usb' && <p className="muted small-print">{c.usbHint}</p>}
        <div className="form-row">
          <label className="field">
            <span>{c.columns}</span>
            <select value={columns} onChange={(e) => setColumns(Number(e.target.value))} disabled={!owner}>
              <option value={42}>{c.columns42}</option>
              <option value={32}>{c.columns32}</option>
            </select>
          </label>
          {connection === 'network' && (
            <label className="field">
              <span>{c.statusCheck}</span>
              <select value={statusCheck} onChange={(e) => setStatusCheck(e.target.value as StatusCheck)} disabled={!owner}>
                <option value="require">{c.statusRequire}</option>
                <option value="best-effort">{c.statusBestEffort}</option>
                <option value="off">{c.statusOff}</option>
              </select>
            </label>
          )}
        </div>
        <ErrorNote error={configure.error} />
        <div className="form-row">
          {owner ? (
            <>
              <button type="submit" className="primary" disabled={!ready || configure.isPending}>
                {c.save}
              </button>
              {configured && (
                <button type="button" disabled={configure.isPending} onClick={() => configure.mutate({ kind: 'none' })}>
                  {c.remove}
                </button>
              )}
            </>
          ) : (
            <span className="muted small-print">{c.ownerOnly}</span>
          )}
          <button type="button" disabled={!configured || test.isPending} onClick={() => test.mutate()}>
            {test.isPending ? c.testing : c.test}
          </button>
          {configure.isSuccess && !test.data && <span className="ok-note">{c.saved}</span>}
        </div>
      </form>
      <ErrorNote error={test.error} />
      {outcome && (
        <p className={outcome.ok ? 'ok-note' : 'error-note'} role="status" data-testid="printer-test-outcome">
          {outcome.ok ? c.testOk : failure(outcome.reason)}
        </p>
      )}
    </div>
  );
}
