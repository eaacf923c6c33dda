import '../../styles/receipt-void.css';
import '../../styles/receipt-keys.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { downloadText } from '../download';
import { formatDateTime, formatMoney } from '../format';
import type { Me } from '../../lib/api-types';
import { ErrorNote } from '../ui/Notice';
import { PrinterCard } from './PrinterCard';

/** Receipts: check one offline, export the public key, set up the printer. */
export function ReceiptsSection({ me }: { me: Me }) {
  const { t } = useMessages();
  const c = t.console.receipts;
  return (
    <section className="section receipts-section" aria-label={c.title}>
      <div className="section-head">
        <h1>{c.title}</h1>
        <p className="muted">{c.intro}</p>
      </div>
      <div className="receipts-grid">
        <VerifyCard />
        <div className="receipts-side">
          <PublicKeyCard me={me} />
          <PrinterCard me={me} />
        </div>
      </div>
    </section>
  );
}

function VerifyCard() {
  const trpc = useTRPC();
  const { t } = useMessages();
  const c = t.console.receipts;
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const verdict = useQuery(trpc.receipt.verify.queryOptions({ text: asked ?? '' }, { enabled: asked !== null, staleTime: 0 }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) setAsked(text);
  };
  const v = asked !== null ? verdict.data : undefined;
  return (
    <div className="card verify-card">
      <h2>{c.verifyTitle}</h2>
      <p className="muted small-print">{c.verifyHint}</p>
      <form onSubmit={submit} className="verify-form">
        <label className="field">
          <span>{c.verifyLabel}</span>
          {/* One line: a USB scanner types the text and then Enter, which submits. */}
          <input
            autoFocus
            className="mono"
            value={text}
            spellCheck={false}
            autoComplete="off"
            maxLength={1300}
            placeholder="PK1:…"
            data-testid="verify-input"
            onChange={(e) => {
              setText(e.target.value);
              setAsked(null);
            }}
          />
        </label>
        <button type="submit" className="primary" disabled={!text.trim() || verdict.isFetching}>
          {verdict.isFetching ? c.checking : c.verify}
        </button>
      </form>
      <ErrorNote error={asked !== null ? verdict.error : null} />
      {v && v.valid && (
        <div
          className={`verdict verdict-valid${v.supersededAt ? ' verdict-void' : ''}`}
          role="status"
          data-testid="verdict"
          data-valid="true"
          data-superseded={v.supersededAt ? 'true' : undefined}
        >
          <p className="verdict-title">
            {v.supersededAt ? '⚠' : '✓'}{' '}
            {fill(v.issuer.own ? c.valid : c.validOther, {
              issuer: v.issuer.label,
              issuedAt: formatDateTime(v.issuedAt),
              // Non-breaking hyphens: a plate never wraps in the middle.
              plate: v.plate.replace(/-/g, '\u2011'),
              slot: v.slotLabel,
            })}
          </p>
          <dl className="facts">
            <dt>{c.fields.reference}</dt>
            <dd className="mono">
              {v.reference} · {c.kinds[v.kind] ?? v.kind}
            </dd>
            <dt>{c.fields.period}</dt>
            <dd>
              {formatDateTime(v.start)} – {formatDateTime(v.end)}
            </dd>
            <dt>{c.fields.paid}</dt>
            <dd>
              {v.items.map((item) => `${c.items[item.kind] ?? item.kind} ${formatMoney(item.amount, v.currency)}`).join(' + ')} ={' '}
              <strong>{formatMoney(v.total, v.currency)}</strong>
            </dd>
            {v.tariffVersion && (
              <>
                <dt>{c.fields.tariff}</dt>
                <dd>{v.tariffVersion}</dd>
              </>
            )}
            <dt>{c.fields.kiosk}</dt>
            <dd className="mono">{v.kioskId}</dd>
            <dt>{c.fields.key}</dt>
            <dd className="mono">{v.keyId}</dd>
          </dl>
          {v.supersededAt && (
            <p className="verdict-superseded" role="alert" data-testid="verdict-superseded">
              ⚠ {fill(c.superseded, { at: formatDateTime(v.supersededAt) })}
            </p>
          )}
          {v.issuer.own && (
            <p className="verdict-now">
              {v.booking === null
                ? c.noBooking
                : v.booking.status === 'cancelled'
                  ? c.nowCancelled
                  : v.booking.status === 'completed'
                    ? c.nowCompleted
                    : c.nowBooked}
              {v.booking && v.booking.plateNow !== v.plate && <> {fill(c.plateChanged, { plate: v.booking.plateNow })}</>}
            </p>
          )}
        </div>
      )}
      {v && !v.valid && (
        <div className="verdict verdict-invalid" role="alert" data-testid="verdict" data-valid="false" data-reason={v.reason}>
          <p className="verdict-title">✕ {c.invalid}</p>
          <p>{c.reasons[v.reason] ?? v.reason}</p>
        </div>
      )}
    </div>
  );
}

function PublicKeyCard({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useMessages();
  const c = t.console.receipts;
  const keys = useQuery(trpc.receipt.publicKey.queryOptions());
  // The signing key first; retired ones (after a rotation) below, still verifying older receipts.
  const signing = keys.data?.filter((key) => key.retiredAt === null) ?? [];
  const retired = keys.data?.filter((key) => key.retiredAt !== null).reverse() ?? [];
  const [askRotate, setAskRotate] = useState(false);
  const rotate = useMutation(
    trpc.receipt.rotateKey.mutationOptions({
      onSuccess: () => {
        setAskRotate(false);
        void queryClient.invalidateQueries(trpc.receipt.publicKey.queryFilter());
      },
    }),
  );
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async (keyId: string, pem: string) => {
    try {
      await navigator.clipboard.writeText(pem);
      setCopied(keyId);
    } catch {
      // No clipboard (plain http in a browser): the PEM is selectable text below.
      setCopied(null);
    }
  };
  return (
    <div className="card key-card">
      <h2>{c.keyTitle}</h2>
      <p className="muted small-print">{c.keyHint}</p>
      <ErrorNote error={keys.error} />
      {signing.map((key) => (
        <div key={key.keyId} className="key-entry">
          <p className="key-id">
            {fill(c.keyId, { id: key.keyId })} · {key.label}
          </p>
          <pre className="pem mono" data-testid="public-pem">
            {key.pem}
          </pre>
          <p className="muted small-print">
            {c.compact}: <span className="mono compact-key">{key.compact}</span>
          </p>
          <div className="form-row">
            <button type="button" onClick={() => void copy(key.keyId, key.pem)}>
              {c.copyPem}
            </button>
            <button type="button" onClick={() => downloadText(`receipt-key-${key.keyId}.pem`, key.pem, 'application/x-pem-file')}>
              {c.downloadPem}
            </button>
            {copied === key.keyId && <span className="ok-note">{c.copied}</span>}
          </div>
        </div>
      ))}
      {retired.length > 0 && (
        <div className="retired-keys" data-testid="retired-keys">
          <h3>{c.retiredTitle}</h3>
          {retired.map((key) => (
            <p key={key.keyId} className="small-print" data-testid="retired-key" data-key-id={key.keyId}>
              {fill(c.keyId, { id: key.keyId })} · {fill(c.retiredSince, { at: formatDateTime(key.retiredAt!) })}{' '}
              <button type="button" onClick={() => downloadText(`receipt-key-${key.keyId}.pem`, key.pem, 'application/x-pem-file')}>
                {c.downloadPem}
              </button>
            </p>
          ))}
        </div>
      )}
      {me.role === 'owner' && (
        <div className="rotate-key">
          {rotate.data && !askRotate && (
            <p className="ok-note" role="status" data-testid="key-rotated">
              {fill(c.rotated, { id: rotate.data.keyId })}
            </p>
          )}
          <ErrorNote error={rotate.error} />
          {askRotate ? (
            <div className="rotate-ask" role="group" aria-label={c.rotate}>
              <p>{c.rotateAsk}</p>
              <div className="form-row">
                <button type="button" className="danger" disabled={rotate.isPending} onClick={() => rotate.mutate()}>
                  {c.rotateYes}
                </button>
                <button type="button" onClick={() => setAskRotate(false)}>
                  {c.rotateNo}
                </button>
              </div>
            </div>
          ) : (
            <button
              type="button"
              onClick={() => {
                rotate.reset();
                setAskRotate(true);
              }}
            >
              {c.rotate}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
