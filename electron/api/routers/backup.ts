import { z } from 'zod';
import { createBackup, listBackups, restoreBackup, storageStatus } from '../../core/backup/service';
import { lastAutomaticBackup, readBackupChunk } from '../../core/backup/download';
import { ownerProcedure, router, staffProcedure } from '../trpc';
import { auditActor } from '../actor';

const backupName = z
  .string({ error: 'Give the backup name as text.' })
  .max(120, 'That backup name is too long.')
  .regex(/^[A-Za-z0-9._-]+\.db$/, 'Pick a backup from the list (a name ending in .db).');

export const backupRouter = router({
  /** The backups on disk, newest first, and the storage's health (last fault, last recovery). */
  list: staffProcedure.query(({ ctx }) => ({
    backups: listBackups(ctx.core),
    status: storageStatus(ctx.core),
    lastAutomatic: lastAutomaticBackup(ctx.core),
  })),

  /**
   * Owner only: one 1 MiB piece of a backup file, base64 (the console joins the pieces into a
   * download). A backup holds staff PIN hashes, which a short PIN cannot protect offline.
   */
  download: ownerProcedure
    .input(
      z
        .object({
          name: backupName,
          offset: z
            .number()
            .int('The offset is a whole number.')
            .min(0)
            .max(2 ** 40)
            .default(0),
        })
        .strict(),
    )
    .query(({ ctx, input }) => readBackupChunk(ctx.core, input.name, input.offset)),

  /** Health, plus live subscriptions and memory so a soak test or an owner can spot leaks. */
  status: staffProcedure.query(({ ctx }) => ({
    ...storageStatus(ctx.core),
    liveSubscriptions: ctx.core.events.listenerCount(),
    memory: memorySnapshot(),
  })),

  /**
   * Take an online backup now (the kiosk keeps serving while it runs). A plain staff member's
   * backups are their own kind with their own quota, so they never prune the owner's.
   */
  create: staffProcedure.mutation(({ ctx }) => createBackup(ctx.core, auditActor(ctx), ctx.actor.staff.role === 'owner' ? 'manual' : 'staff')),

  /** Owner only: replace the live data with a backup; the current state is backed up first. */
  restore: ownerProcedure
    .input(z.object({ name: backupName }).strict())
    .mutation(({ ctx, input }) => restoreBackup(ctx.core, input.name, { staffId: ctx.actor.staff.id, name: ctx.actor.staff.name })),
});

/**
 * Heap in use and resident size, in MB. When the process runs with --expose-gc (soak tests
 * do), garbage is collected first so the figure shows what is really retained.
 */
function memorySnapshot(): { heapUsedMb: number; rssMb: number; collected: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.memoryUsage();
  return { heapUsedMb: Math.round(usage.heapUsed / 1e5) / 10, rssMb: Math.round(usage.rss / 1e5) / 10, collected: gc !== undefined };
}
