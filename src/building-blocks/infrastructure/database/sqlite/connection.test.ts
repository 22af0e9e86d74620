import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type NodeSqliteConnection,
  openConnection,
  promiseOf,
  toSqliteValue,
} from './connection.ts';

let dir: string;
let connection: NodeSqliteConnection;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sqlite-connection-'));
  connection = openConnection(join(dir, 'test.db'));
  run('create table items (id integer primary key, label text not null)');
});
afterEach(() => {
  connection.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = <R>(sql: string, parameters: unknown[] = []) =>
  connection.executeSync<R>(CompiledQuery.raw(sql, parameters));

describe('the node:sqlite connection', () => {
  test('the write connection runs in WAL mode with foreign keys on', () => {
    expect(run<{ journal_mode: string }>('pragma journal_mode').rows).toEqual([
      { journal_mode: 'wal' },
    ]);
    expect(run<{ foreign_keys: number }>('pragma foreign_keys').rows).toEqual([
      { foreign_keys: 1 },
    ]);
  });

  test('a read-only connection refuses to write', () => {
    const reader = openConnection(join(dir, 'test.db'), { readOnly: true });
    try {
      expect(() =>
        reader.executeSync(CompiledQuery.raw("insert into items values (1, 'x')")),
      ).toThrow(/readonly/);
    } finally {
      reader.close();
    }
  });

  test('returns each row as a plain object of its columns, nulls included, rows in order', () => {
    run("insert into items values (1, 'one'), (2, 'two')");

    const { rows } = run('select id, label, null as note from items order by id');

    expect(rows).toStrictEqual([
      { id: 1, label: 'one', note: null },
      { id: 2, label: 'two', note: null },
    ]);
    expect(Object.keys(rows[1] ?? {})).toEqual(['id', 'label', 'note']);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
  });

  test('a write reports the rows it changed and the last inserted id', () => {
    run("insert into items values (1, 'one'), (2, 'two')");

    const result = run('update items set label = ? where id >= ?', ['changed', 1]);

    expect(result).toEqual({ rows: [], numAffectedRows: 2n, insertId: 2n });
  });

  test('runs the same SQL text again with new values', () => {
    for (const [id, label] of [
      [1, 'one'],
      [2, 'two'],
    ]) {
      run('insert into items values (?, ?)', [id, label]);
    }

    expect(run('select label from items where id = ?', [2]).rows).toEqual([{ label: 'two' }]);
    expect(run('select label from items where id = ?', [1]).rows).toEqual([{ label: 'one' }]);
  });

  test('refuses a result column that would set a row’s prototype', () => {
    expect(() => run('select 1 as "__proto__"')).toThrow(/__proto__/);
  });

  test('executeQuery gives the same result as a promise, and a failure as a rejection', async () => {
    await expect(connection.executeQuery(CompiledQuery.raw('select 1 as one'))).resolves.toEqual({
      rows: [{ one: 1 }],
    });
    await expect(connection.executeQuery(CompiledQuery.raw('select nonsense'))).rejects.toThrow(
      /no such column/,
    );
  });
});

describe('toSqliteValue', () => {
  test('binds dates as ISO text, booleans as 0 and 1, undefined as null, objects as JSON', () => {
    expect(toSqliteValue(new Date('2026-01-02T03:04:05.000Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(toSqliteValue(true)).toBe(1);
    expect(toSqliteValue(false)).toBe(0);
    expect(toSqliteValue(undefined)).toBeNull();
    expect(toSqliteValue({ a: [1] })).toBe('{"a":[1]}');
  });

  test('passes numbers, strings, bigints and bytes through', () => {
    const bytes = new Uint8Array([1, 2]);
    expect([7, 'text', 9n, bytes].map(toSqliteValue)).toEqual([7, 'text', 9n, bytes]);
  });
});

describe('promiseOf', () => {
  test('resolves with what the function returns, rejects with what it throws', async () => {
    await expect(promiseOf(() => 1)).resolves.toBe(1);
    await expect(
      promiseOf(() => {
        throw new Error('failed');
      }),
    ).rejects.toThrow('failed');
  });
});
