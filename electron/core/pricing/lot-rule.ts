/**
 * SQL: per lot, the default length (minutes) and grace (minutes) of a new stay under its
 * current tariff (the newest version, else today's flat rule: the lot's booking duration and
 * no grace hold: stays/graceMs). Availability asks whether a stay of that
 * length, with its grace, could start now. Columns: lotId, minutes, grace.
 */
export const NEW_STAY_SQL = `
  SELECT l.id AS lotId,
         coalesce(json_extract(tv.document, '$.durations.defaultMinutes'), json_extract(tv.document, '$.durations.minMinutes'), l.booking_minutes) AS minutes,
         coalesce(json_extract(tv.document, '$.graceMinutes'), 0) AS grace
    FROM lots l
    LEFT JOIN tariff_versions tv ON tv.id = (SELECT t.id FROM tariff_versions t WHERE t.lot_id = l.id ORDER BY t.version DESC LIMIT 1)`;
