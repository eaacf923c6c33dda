import { desc, eq, sql } from 'drizzle-orm';
import type { Orm } from '../../../db/client';
import { prepareSql } from '../../../db/prepared';
import { tariffVersions } from '../../../db/schema';
import type { TariffDocument } from '../tariffs/model';

const p = sql.placeholder;

export type TariffVersionRow = Pick<typeof tariffVersions.$inferSelect, 'id' | 'version' | 'document' | 'createdAt' | 'createdBy'>;

// Lean (no per-row mapping): the slot list asks for the lot's newest version once per slot.
const NEWEST_SQL = sql`SELECT ${tariffVersions.id} AS id, ${tariffVersions.version} AS version, ${tariffVersions.document} AS document,
         ${tariffVersions.createdAt} AS createdAt, ${tariffVersions.createdBy} AS createdBy
    FROM ${tariffVersions} WHERE ${tariffVersions.lotId} = ${p('lotId')} ORDER BY ${tariffVersions.version} DESC LIMIT 1`;
const BY_ID_SQL = sql`SELECT ${tariffVersions.id} AS id, ${tariffVersions.version} AS version, ${tariffVersions.document} AS document,
         ${tariffVersions.createdAt} AS createdAt, ${tariffVersions.createdBy} AS createdBy
    FROM ${tariffVersions} WHERE ${tariffVersions.id} = ${p('id')}`;

/** Every query on tariff_versions, prepared once per connection, with the parsed documents. */
export function createTariffStore(orm: Orm) {
  const newest = prepareSql<TariffVersionRow>(orm, NEWEST_SQL);
  const byId = prepareSql<TariffVersionRow>(orm, BY_ID_SQL);
  const history = orm
    .select({
      version: tariffVersions.version,
      createdAt: tariffVersions.createdAt,
      createdBy: tariffVersions.createdBy,
    })
    .from(tariffVersions)
    .where(eq(tariffVersions.lotId, p('lotId')))
    .orderBy(desc(tariffVersions.version))
    .prepare();
  const insert = orm
    .insert(tariffVersions)
    .values({
      lotId: p('lotId'),
      version: p('version'),
      document: p('document'),
      createdAt: p('createdAt'),
      createdBy: p('createdBy'),
    })
    .prepare();
  // Versions are append-only (a trigger refuses UPDATE and DELETE), so a parsed document can be
  // kept for as long as the connection.
  const parsed = new Map<number, TariffDocument>();

  return {
    newest: (lotId: number) => newest.get({ lotId }),
    byId: (id: number) => byId.get({ id }),
    /** The lot's versions, newest first. */
    history: (lotId: number) => history.all({ lotId }),
    insert: (row: { lotId: number; version: number; document: TariffDocument; createdAt: number; createdBy: string }) =>
      insert.run({ ...row, document: JSON.stringify(row.document) }),
    /** The document of a version row, parsed once. */
    documentOf(row: Pick<TariffVersionRow, 'id' | 'document'>): TariffDocument {
      let doc = parsed.get(row.id);
      // Validated by the tariffDocument schema when saved (tariff.save); the row cannot change since.
      if (!doc) parsed.set(row.id, (doc = JSON.parse(row.document) as TariffDocument));
      return doc;
    },
  };
}

export type TariffStore = ReturnType<typeof createTariffStore>;
