import { context, SpanKind, type Tracer, trace } from '@opentelemetry/api';
import type { CompiledQuery } from 'kysely';
import type { Database, SqlTransaction } from '../infrastructure/database/database.ts';
import type { ReadConnection } from '../infrastructure/database/read-connection.ts';
import { inSpan } from './spans.ts';

/**
 * The database with a span per unit of work's transaction and per SQL statement, on either
 * engine: every statement of a unit of work goes through `SqlTransaction.execute` and every
 * read model's through `ReadConnection.all`, so wrapping those two covers SQLite (whose
 * statements never reach a driver) and PostgreSQL's named statements alike. The span holds
 * the statement's text, with `$1` / `?` placeholders: never the values. Used only when
 * tracing is on; otherwise the database is left as it is.
 *
 * Only work inside a trace is traced: the relay's poll (every second, in every process, most
 * often finding nothing) and its housekeeping would otherwise each start a trace of their
 * own. A message the poll delivers is traced from its consumer span on.
 */
export function tracedDatabase(database: Database, tracer: Tracer): Database {
  const system = database.dialect === 'postgres' ? 'postgresql' : 'sqlite';
  const statement = <T>(query: CompiledQuery, run: () => Promise<T>): Promise<T> =>
    !inTrace()
      ? run()
      : inSpan(
          tracer,
          summaryOf(query.sql),
          {
            kind: SpanKind.CLIENT,
            attributes: { 'db.system.name': system, 'db.query.text': query.sql },
          },
          run,
        );
  const reads: ReadConnection = {
    dialect: database.reads.dialect,
    kysely: database.reads.kysely,
    all: (query) => statement(query, () => database.reads.all(query)),
    close: () => database.reads.close(),
  };
  return {
    dialect: database.dialect,
    kysely: database.kysely,
    supportsRowLocks: database.supportsRowLocks,
    reads,
    transaction: (work) => {
      if (!inTrace()) return database.transaction(work);
      return inSpan(
        tracer,
        'transaction',
        { kind: SpanKind.INTERNAL, attributes: { 'db.system.name': system } },
        () =>
          database.transaction((tx) => {
            const traced: SqlTransaction = {
              builder: tx.builder,
              execute: (query) => statement(query, () => tx.execute(query)),
            };
            return work(traced);
          }),
      );
    },
    // Notifications are not statements: heard as they are (the session cache listens).
    ...(database.listen && { listen: database.listen }),
    // Nor is the look at SQLite's data version (a pragma, not a query of the service's).
    ...(database.dataVersion && { dataVersion: database.dataVersion }),
    ping: () => database.ping(),
    close: () => database.close(),
  };
}

const inTrace = () => trace.getSpan(context.active()) !== undefined;

const summaries = new Map<string, string>();
const SUMMARY = /^\s*(select|insert\s+into|update|delete\s+from|with)\b/i;
const TARGET = /\b(?:from|into|update)\s+("?[\w]+"?(?:\."?[\w]+"?)?)/i;

/**
 * A span's name for a statement (OpenTelemetry's `{operation} {table}`): `SELECT
 * projects.tasks`. Computed once per SQL text: the statements are prepared, so few.
 */
export function summaryOf(sql: string): string {
  let summary = summaries.get(sql);
  if (summary === undefined) {
    const operation = SUMMARY.exec(sql)?.[1]?.split(/\s+/)[0]?.toUpperCase() ?? 'SQL';
    const target = TARGET.exec(sql)?.[1]?.replaceAll('"', '');
    summary = target ? `${operation} ${target}` : operation;
    if (summaries.size < 1000) summaries.set(sql, summary);
  }
  return summary;
}
