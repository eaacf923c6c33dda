import { sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { lots, tariffVersions } from '../../../db/schema';

const tv = alias(tariffVersions, 'tv');
const latest = alias(tariffVersions, 't');

/**
 * SQL: per lot, the default length (minutes) and grace (minutes) of a new stay under its
 * current tariff (the newest version, else the flat rule: the lot's booking duration and
 * its graceMinutes setting, as pricing/stay.ts graceMs gives it). Availability asks whether a stay of that
 * length, with its grace, could start now. Columns: lotId, minutes, grace.
 */
export const newStayRule = sql`
  SELECT ${lots.id} AS lotId,
         coalesce(json_extract(${tv.document}, '$.durations.defaultMinutes'), json_extract(${tv.document}, '$.durations.minMinutes'), ${lots.bookingMinutes}) AS minutes,
         coalesce(json_extract(${tv.document}, '$.graceMinutes'), ${lots.graceMinutes}) AS grace
    FROM ${lots}
    LEFT JOIN ${tariffVersions} ${tv} ON ${tv.id} = (SELECT ${latest.id} FROM ${tariffVersions} ${latest} WHERE ${latest.lotId} = ${lots.id} ORDER BY ${latest.version} DESC LIMIT 1)`;

/** The columns of newStayRule, as a query names them after `WITH rule AS MATERIALIZED (...)`. */
export const rule = { lotId: sql.raw('rule.lotId'), minutes: sql.raw('rule.minutes'), grace: sql.raw('rule.grace') };
