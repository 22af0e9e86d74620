import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Json } from '../../application/json.ts';
import type { SqlDialect } from './sql-dialect.ts';

/**
 * SQL that writes JSON, in either dialect: a read model asks the database for a list view as
 * one JSON text instead of one row object per item. The keys named here are the only fields
 * that leave, as with a response schema.
 */
export interface JsonSql {
  /** A JSON object of these keys and values, in this order. */
  object(fields: Record<string, Expression<unknown>>): RawBuilder<unknown>;
  /** Aggregate: a JSON array of `element` for the rows that pass `where` (all rows without
   * one), in `orderBy` order; `[]` when none does. Aggregate over a subquery ordered the same
   * way: SQLite keeps the order of its input rows (it never flattens an ordered subquery into
   * an aggregate), and an ORDER BY inside the aggregate would sort them again. */
  arrayOf<T>(
    element: Expression<unknown>,
    options: { orderBy: Expression<unknown>; where?: Expression<unknown> },
  ): RawBuilder<Json<T[]>>;
  /** A stored timestamp as the API shows it: ISO 8601, UTC, milliseconds, `Z` (or null). */
  timestamp(column: Expression<unknown>): RawBuilder<string | null>;
}

const keysAndValues = (fields: Record<string, Expression<unknown>>) =>
  sql.join(Object.entries(fields).map(([key, value]) => sql`${sql.lit(key)}, ${value}`));

const filtered = (aggregate: RawBuilder<unknown>, where: Expression<unknown> | undefined) =>
  where === undefined ? aggregate : sql`${aggregate} filter (where ${where})`;

const sqlite: JsonSql = {
  object: (fields) => sql`json_object(${keysAndValues(fields)})`,
  arrayOf: (element, { where }) =>
    sql`coalesce(${filtered(sql`json_group_array(${element})`, where)}, '[]')`,
  // Stored as the ISO text the API shows (see timestamps.ts).
  timestamp: (column) => sql`${column}`,
};

// PostgreSQL's json_build_object and json_agg write `{"id" : 1}` and `[{...}, \n {...}]`;
// row_to_json and string_agg write compact JSON, like SQLite's functions, so a client gets
// the same bytes from either database.
const postgres: JsonSql = {
  object: (fields) =>
    sql`(select row_to_json(o) from (select ${sql.join(
      Object.entries(fields).map(([key, value]) => sql`${value} as ${sql.id(key)}`),
    )}) as o)`,
  arrayOf: (element, { orderBy, where }) =>
    sql`coalesce('[' || ${filtered(sql`string_agg(${element}::text, ',' order by ${orderBy})`, where)} || ']', '[]')`,
  timestamp: (column) =>
    sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
};

export function jsonSql(dialect: SqlDialect): JsonSql {
  return dialect === 'sqlite' ? sqlite : postgres;
}
