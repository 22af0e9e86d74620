import type { ColumnType } from 'kysely';

/**
 * A point in time as stored: ISO-8601 text on SQLite, `timestamptz` on PostgreSQL.
 * Written as an ISO string, read back as whichever the driver gives.
 */
export type Timestamp = ColumnType<Date | string, string, string>;

export function readTimestamp(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

export function readOptionalTimestamp(value: Date | string | null): Date | null {
  return value === null ? null : readTimestamp(value);
}

/** How the API shows time: ISO 8601, UTC, milliseconds, `Z`. */
export function isoTimestamp(value: Date | string): string {
  return readTimestamp(value).toISOString();
}

export function optionalIsoTimestamp(value: Date | string | null): string | null {
  return value === null ? null : isoTimestamp(value);
}
