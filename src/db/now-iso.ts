/**
 * SQL giving the current time as ISO-8601 UTC text with milliseconds, the format of
 * `Date#toISOString()` (`2025-01-02T03:04:05.678Z`): the text of the timestamp columns' default,
 * for writers that fill those columns themselves. On PostgreSQL it is the transaction's start.
 */
import type { DbDialect } from './dialect-of.js';

export const NOW_ISO_SQL: Readonly<Record<DbDialect, string>> = {
  postgres: `to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  sqlite: `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
};
