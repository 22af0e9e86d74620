import { CompiledQuery } from 'kysely';
import { describe, expect, test } from 'vitest';
import { inMemoryTracing } from '../../../tests/support/in-memory-tracing.ts';
import type { Database } from '../infrastructure/database/database.ts';
import { inSpan } from './spans.ts';
import { summaryOf, tracedDatabase } from './traced-database.ts';

const SELECT = CompiledQuery.raw('select "name" from "projects"."tasks" where "id" = $1', [7]);

/** A database that answers every statement with no rows. */
const database = {
  dialect: 'postgres',
  reads: { dialect: 'postgres', kysely: undefined as never, all: async () => [], close() {} },
  transaction: (work) => work({ builder: undefined as never, execute: async () => ({ rows: [] }) }),
} as Partial<Database> as Database;

describe('the database, traced', () => {
  test('inside a trace: a span per transaction and per statement, its text without values', async () => {
    const tracing = await inMemoryTracing();
    const traced = tracedDatabase(database, tracing.tracer);

    await inSpan(tracing.tracer, 'projects.CreateTask', {}, () =>
      traced.transaction((tx) => tx.execute(SELECT)),
    );

    const statement = await tracing.span('SELECT projects.tasks');
    expect(statement.attributes).toEqual({
      'db.system.name': 'postgresql',
      'db.query.text': 'select "name" from "projects"."tasks" where "id" = $1',
    });
    expect(tracing.spans().map((span) => span.name)).toEqual([
      'SELECT projects.tasks',
      'transaction',
      'projects.CreateTask',
    ]);
  });

  test("outside any trace (the relay's poll): nothing is traced", async () => {
    const tracing = await inMemoryTracing();
    const traced = tracedDatabase(database, tracing.tracer);

    await traced.transaction((tx) => tx.execute(SELECT));
    await traced.reads.all(SELECT);

    expect(tracing.spans()).toEqual([]);
  });

  test('a database that can listen for notifications still can, traced (the session cache needs it)', async () => {
    const tracing = await inMemoryTracing();
    const heard: string[] = [];
    const listening = {
      ...database,
      listen: (channel: string) => heard.push(channel),
    } as Database;

    tracedDatabase(listening, tracing.tracer).listen?.('accounts_session_changed', {
      notified() {},
      listening() {},
      notListening() {},
    });

    expect(heard).toEqual(['accounts_session_changed']);
    expect(tracedDatabase(database, tracing.tracer).listen).toBeUndefined();
  });

  test('statement names: operation and table, on either dialect', () => {
    expect(summaryOf('insert into "accounts_users" ("id") values (?)')).toBe(
      'INSERT accounts_users',
    );
    expect(summaryOf('update "projects"."projects" set "version" = $1')).toBe(
      'UPDATE projects.projects',
    );
    expect(summaryOf('begin')).toBe('SQL');
  });
});
