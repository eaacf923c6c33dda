import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC, useTRPCClient } from '../../api/trpc';
import { fill, useMessages } from '../../i18n';
import { downloadBlob } from '../download';
import { formatDateTimeSeconds } from '../format';
import type { Me } from '../../lib/api-types';
import { Dialog } from '../ui/Dialog';
import { ErrorNote } from '../ui/Notice';

interface BackupRow {
  name: string;
  kind: string;
  takenAt: string;
  bytes: number;
}

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** Backups: the last automatic one and its health, every copy on disk, and (owner) download and restore. */
export function BackupsSection({ me }: { me: Me }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { t } = useMessages();
  const c = t.console.backups;
  const isOwner = me.role === 'owner';
  const list = useQuery(trpc.backup.list.queryOptions());
  const refresh = () => void queryClient.invalidateQueries(trpc.backup.pathFilter());
  const create = useMutation(trpc.backup.create.mutationOptions({ onSuccess: refresh }));
  const [restoring, setRestoring] = useState<BackupRow | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const download = useDownload();
  const status = list.data?.status;
  const automatic = list.data?.lastAutomatic;

  return (
    <section className="section" aria-label={c.title}>
      <div className="section-head">
        <h1>{c.title}</h1>
        <div className="toolbar compact">
          <button type="button" className="primary" onClick={() => create.mutate()} disabled={create.isPending}>
            {create.isPending ? c.creating : c.create}
          </button>
        </div>
      </div>
      {status && <p className="muted">{fill(c.intro, { dir: status.backupDir, keep: status.keep })}</p>}
      <ErrorNote error={list.error ?? create.error ?? download.error} />
      {create.data && (
        <p className="ok-note" role="status">
          {fill(c.created, { name: create.data.name })}
        </p>
      )}
      {restored && (
        <p className="ok-note" role="status">
          {restored}
        </p>
      )}
      {status?.lastBackupError && <p className="error-note">{fill(c.lastError, status.lastBackupError)}</p>}
      {status?.lastStorageFault && (
        <p className="error-note">{fill(c.fault, { at: formatDateTimeSeconds(status.lastStorageFault.at), message: status.lastStorageFault.message })}</p>
      )}

      <div className="card backup-health" aria-label={c.automatic}>
        <h2>{c.automatic}</h2>
        {automatic?.backup ? (
          <p>
            <strong>{formatDateTimeSeconds(automatic.backup.takenAt)}</strong> · {size(automatic.backup.bytes)} ·{' '}
            {automatic.integrity?.ok ? (
              <span className="health health-ok">{c.integrityOk}</span>
            ) : (
              <span className="health health-bad">
                {fill(c.integrityBad, { problem: automatic.integrity && !automatic.integrity.ok ? automatic.integrity.problem : '?' })}
              </span>
            )}
          </p>
        ) : (
          list.data && <p className="muted">{c.automaticNone}</p>
        )}
      </div>

      <h2 className="table-title">{c.listTitle}</h2>
      {!isOwner && <p className="muted">{c.ownerOnly}</p>}
      <div className="table-wrap">
        <table className="data-table" aria-label={c.listTitle}>
          <thead>
            <tr>
              <th>{c.when}</th>
              <th>{c.kind}</th>
              <th className="num">{c.size}</th>
              <th>File</th>
              {isOwner && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {list.data?.backups.map((backup) => (
              <tr key={backup.name} data-backup={backup.name} data-kind={backup.kind}>
                <td className="nowrap">{formatDateTimeSeconds(backup.takenAt)}</td>
                <td>{c.kinds[backup.kind] ?? backup.kind}</td>
                <td className="num">{size(backup.bytes)}</td>
                <td className="mono small">{backup.name}</td>
                {isOwner && (
                  <td className="row-actions">
                    <button type="button" className="small" onClick={() => download.run(backup)} disabled={download.busy !== null}>
                      {download.busy === backup.name ? fill(c.downloading, { percent: download.percent }) : c.download}
                    </button>
                    <button type="button" className="small danger" onClick={() => setRestoring(backup)}>
                      {c.restore}
                    </button>
                  </td>
                )}
              </tr>
            ))}
            {list.data && list.data.backups.length === 0 && (
              <tr>
                <td colSpan={isOwner ? 5 : 4} className="empty">
                  {c.none}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {restoring && (
        <RestoreDialog
          backup={restoring}
          onClose={() => setRestoring(null)}
          onDone={(message) => {
            setRestoring(null);
            setRestored(message);
            // Everything on screen may be different now.
            void queryClient.invalidateQueries();
          }}
        />
      )}
    </section>
  );
}

function RestoreDialog({ backup, onClose, onDone }: { backup: BackupRow; onClose(): void; onDone(message: string): void }) {
  const trpc = useTRPC();
  const { t } = useMessages();
  const c = t.console.backups;
  const restore = useMutation(
    trpc.backup.restore.mutationOptions({
      onSuccess: (result) => onDone(fill(c.restored, { name: result.restored.name, safety: result.safetyBackup.name })),
    }),
  );
  return (
    <Dialog
      title={c.restoreTitle}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="primary" onClick={onClose}>
            {c.cancel}
          </button>
          <button type="button" className="danger" onClick={() => restore.mutate({ name: backup.name })} disabled={restore.isPending}>
            {restore.isPending ? c.restoring : c.restoreConfirm}
          </button>
        </>
      }
    >
      <p className="mono small">{backup.name}</p>
      <p className="warning-note" role="alert">
        {fill(c.restoreWarning, { at: formatDateTimeSeconds(backup.takenAt) })}
      </p>
      <p className="muted">{c.restoreSafety}</p>
      <ErrorNote error={restore.error} />
    </Dialog>
  );
}

/** Fetches a backup piece by piece (backup.download) and saves it as one file. */
function useDownload() {
  const client = useTRPCClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [percent, setPercent] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const run = async (backup: BackupRow) => {
    setBusy(backup.name);
    setPercent(0);
    setError(null);
    try {
      const parts: Uint8Array<ArrayBuffer>[] = [];
      let offset = 0;
      for (;;) {
        const chunk = await client.backup.download.query({ name: backup.name, offset });
        const bytes = Uint8Array.from(atob(chunk.data), (ch) => ch.charCodeAt(0));
        parts.push(bytes);
        offset += bytes.length;
        setPercent(chunk.totalBytes === 0 ? 100 : Math.round((offset / chunk.totalBytes) * 100));
        if (chunk.done || bytes.length === 0) break;
      }
      downloadBlob(backup.name, new Blob(parts, { type: 'application/vnd.sqlite3' }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };
  return { run: (backup: BackupRow) => void run(backup), busy, percent, error };
}
