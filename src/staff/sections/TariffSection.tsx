import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useEffect, useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/trpc';
import { formatDateTime, formatMoney } from '../format';
import { ErrorNote } from '../ui/Notice';
import type { Me } from '../../lib/api-types';

/** Sample stays the preview prices, from now on the server: short, typical, long. */
const SAMPLE_MINUTES = [30, 60, 120, 180, 480];

interface Issue {
  path: string;
  message: string;
}

/** The schema's messages at their path inside the document ("rates.0.tiers.1.fromMinute"). */
function issuesOf(error: unknown): Issue[] {
  if (!(error instanceof TRPCClientError)) return [];
  const raw = (error.data as { issues?: { path: (string | number)[]; message: string }[] } | undefined)?.issues ?? [];
  return raw.map((issue) => ({
    path: issue.path.filter((part, index) => !(index === 0 && part === 'document')).join('.') || '(document)',
    message: issue.message,
  }));
}

interface Sample {
  minutes: number;
  price: number | null;
  lines: { description: string; amount: number }[];
  /** Why this stay cannot be sold (e.g. longer than the maximum stay). */
  refused: string | null;
}

/**
 * The lot's tariff: its current version and history for everyone; for the owner an editor of
 * the document (JSON, checked by the server's schema), a preview of sample stays, and save
 * (a new version; bookings already made keep theirs).
 */
export function TariffSection({ me }: { me: Me }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.tariff.current.queryOptions());
  const history = useQuery(trpc.tariff.history.queryOptions());
  const owner = me.role === 'owner';
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  const loadedVersion = current.data?.version ?? null;
  useEffect(() => {
    if (current.data) setText(JSON.stringify(current.data.document, null, 2));
  }, [current.data, loadedVersion]);

  const parsed = (): unknown => {
    try {
      setParseError(null);
      return JSON.parse(text);
    } catch (error) {
      setParseError(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };
  const save = useMutation(
    trpc.tariff.save.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.tariff.pathKey() });
      },
    }),
  );
  const preview = async () => {
    const document = parsed();
    if (document === undefined) return;
    setPreviewError(null);
    try {
      const startTime = new Date().toISOString();
      const settled = await Promise.allSettled(
        SAMPLE_MINUTES.map((minutes) => client.tariff.preview.mutate({ document: document as never, vehicleType: 'car', startTime, durationMinutes: minutes })),
      );
      // A document the schema refuses fails every sample the same way: show its issues once.
      const schemaFailure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && issuesOf(r.reason).length > 0);
      if (schemaFailure) throw schemaFailure.reason;
      setSamples(
        settled.map((r, index) =>
          r.status === 'fulfilled'
            ? { minutes: SAMPLE_MINUTES[index]!, price: r.value.price, lines: r.value.breakdown, refused: null }
            : { minutes: SAMPLE_MINUTES[index]!, price: null, lines: [], refused: r.reason instanceof Error ? r.reason.message : String(r.reason) },
        ),
      );
    } catch (error) {
      setSamples(null);
      setPreviewError(error);
    }
  };
  const issues = [...issuesOf(save.error), ...issuesOf(previewError)];
  const currency = current.data?.document.currency ?? 'INR';

  return (
    <section className="section tariff-section" aria-label="Tariff">
      <div className="section-head">
        <h1>Tariff</h1>
        <p className="muted" data-testid="tariff-version">
          {current.data?.version ? `Version ${current.data.version}` : 'No tariff saved yet (today’s flat prices)'}
          {current.data?.savedAt ? ` · saved ${formatDateTime(current.data.savedAt)} by ${current.data.savedBy ?? ''}` : ''}
        </p>
      </div>
      <ErrorNote error={current.error ?? history.error} />
      <div className="two-col tariff-layout">
        <div className="card">
          <h2>{owner ? 'Edit the tariff (JSON)' : 'The tariff (JSON)'}</h2>
          <p className="muted">
            Rates (vehicle types, days, local window, tiers), step, minimum, daily cap and reset, maximum stay, grace and the kiosk&apos;s durations. Times are
            in the lot&apos;s time zone; money in minor units. See docs/tariffs.md.
          </p>
          <textarea
            aria-label="Tariff document"
            className="tariff-json"
            spellCheck={false}
            readOnly={!owner}
            rows={24}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          {parseError && (
            <p className="error-note" role="alert">
              Not valid JSON: {parseError}
            </p>
          )}
          {issues.length > 0 && (
            <ul className="error-note tariff-issues" role="alert">
              {issues.map((issue, index) => (
                <li key={index}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          )}
          {issues.length === 0 && <ErrorNote error={save.error ?? previewError} />}
          <div className="toolbar">
            <button type="button" onClick={() => void preview()}>
              Preview sample stays
            </button>
            {owner && (
              <button
                type="button"
                className="primary"
                disabled={save.isPending}
                onClick={() => {
                  const document = parsed();
                  if (document !== undefined) save.mutate({ document: document as never });
                }}
              >
                {save.isPending ? 'Saving…' : 'Save as a new version'}
              </button>
            )}
            {save.isSuccess && <span role="status">Saved version {save.data.version}.</span>}
          </div>
        </div>
        <div className="card">
          <h2>Preview (a car, starting now)</h2>
          {samples ? (
            <table className="data-table" aria-label="Tariff preview">
              <thead>
                <tr>
                  <th>Stay</th>
                  <th>Price</th>
                  <th>Lines</th>
                </tr>
              </thead>
              <tbody>
                {samples.map((sample) => (
                  <tr key={sample.minutes}>
                    <td>{sample.minutes} min</td>
                    <td>{sample.price === null ? 'not sold' : formatMoney(sample.price, currency)}</td>
                    <td className="detail">
                      {sample.refused ?? sample.lines.map((line) => `${line.description} ${formatMoney(line.amount, currency)}`).join(' · ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">Press “Preview sample stays” to price a few stays with the document above.</p>
          )}
          <h2>History</h2>
          <table className="data-table" aria-label="Tariff versions">
            <thead>
              <tr>
                <th>Version</th>
                <th>Saved</th>
                <th>By</th>
              </tr>
            </thead>
            <tbody>
              {(history.data ?? []).map((row) => (
                <tr key={row.version}>
                  <td>{row.version}</td>
                  <td>{formatDateTime(row.savedAt)}</td>
                  <td>{row.savedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
