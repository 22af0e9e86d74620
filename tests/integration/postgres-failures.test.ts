import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConcurrencyConflict } from '../../src/building-blocks/application/concurrency-conflict.ts';
import { DatabaseUnavailable } from '../../src/building-blocks/application/database-unavailable.ts';
import type {
  Database,
  SqlTransaction,
} from '../../src/building-blocks/infrastructure/database/database.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { eventually } from '../support/eventually.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { freshDatabase, openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

// What a unit of work on PostgreSQL reports when the server gives up on it: in the terms the
// bus acts on (run the command again, or answer 503).
describe.runIf(TEST_DIALECT === 'postgres')('PostgreSQL failures, as the bus sees them', () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await openTestDatabase());
    await sql`create table scratch (id int primary key, value int)`.execute(database.kysely);
    await sql`insert into scratch values (1, 0), (2, 0)`.execute(database.kysely);
  });

  afterAll(async () => {
    await drop?.();
  });

  const statement = (text: string) => sql.raw(text).compile(database.kysely);

  test('a connection lost before COMMIT is DatabaseUnavailable that wrote nothing and may run again; the pool recovers', async () => {
    const failure = await database
      .transaction(async (tx) => {
        await tx.execute(statement('update scratch set value = value + 1 where id = 1'));
        await tx.execute(statement('select pg_terminate_backend(pg_backend_pid())'));
      })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(DatabaseUnavailable);
    expect(failure).toMatchObject({ nothingWritten: true, retryAtOnce: true });
    // Nothing was committed, and the next unit of work gets a working connection.
    const value = await database.transaction(async (tx) => {
      const { rows } = await tx.execute<{ value: number }>(
        statement('select value from scratch where id = 1'),
      );
      return rows[0]?.value;
    });
    expect(value).toBe(0);
  });

  test('a deadlock PostgreSQL broke is a ConcurrencyConflict (the bus runs the command again)', async () => {
    let release = () => {};
    const bothLocked = new Promise<void>((resolve) => {
      let locked = 0;
      release = () => {
        locked++;
        if (locked === 2) resolve();
      };
    });
    const crossing = (first: number, second: number) =>
      database.transaction(async (tx) => {
        await tx.execute(statement(`update scratch set value = value + 1 where id = ${first}`));
        release();
        await bothLocked;
        await tx.execute(statement(`update scratch set value = value + 1 where id = ${second}`));
      });

    const outcomes = await Promise.allSettled([crossing(1, 2), crossing(2, 1)]);

    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(ConcurrencyConflict);
  });

  test('an idle connection the server ends is reported, replaced, and takes nothing down', async () => {
    const fresh = await freshDatabase();
    const lost: Error[] = [];
    const watched = openDatabase(fresh.url, {
      poolSize: 2,
      onIdleConnectionLost: (error) => lost.push(error),
    });
    try {
      await watched.ping();
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1',
        [new URL(fresh.url).pathname.slice(1)],
      );
      await admin.end();
      const deadline = Date.now() + 5_000;
      while (lost.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      expect(lost.length).toBeGreaterThan(0);
      await expect(watched.ping()).resolves.toBeUndefined();
    } finally {
      await watched.close();
      await fresh.drop();
    }
  });

  test('a transaction its process leaves idle is ended by the server: its row locks stop blocking other commands, and it wrote nothing', async () => {
    const fresh = await freshDatabase();
    const stalled = openDatabase(fresh.url, { poolSize: 1, idleInTransactionTimeoutMs: 300 });
    const other = openDatabase(fresh.url, { poolSize: 1 });
    const run = (db: Database, text: string) => sql.raw(text).compile(db.kysely);
    try {
      await other.transaction(async (tx) => {
        await tx.execute(run(other, 'create table scratch (id int primary key, value int)'));
        await tx.execute(run(other, 'insert into scratch values (1, 0)'));
      });
      let locked = () => {};
      const holding = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // A unit of work that takes a row lock and then waits on its process (as one paused or
      // stuck would), far longer than the server lets a transaction sit idle.
      const stalledWork = stalled
        .transaction(async (tx) => {
          await tx.execute(run(stalled, 'update scratch set value = 1 where id = 1'));
          locked();
          await new Promise((resolve) => setTimeout(resolve, 2_000));
          await tx.execute(run(stalled, 'update scratch set value = 2 where id = 1'));
        })
        .catch((error: unknown) => error);
      await holding;

      // Another process's command on the same row gets it once the server ended the idle one.
      const started = Date.now();
      await other.transaction(async (tx) => {
        await tx.execute(run(other, 'update scratch set value = value + 10 where id = 1'));
      });
      expect(Date.now() - started).toBeLessThan(1_800);

      expect(await stalledWork).toBeInstanceOf(DatabaseUnavailable);
      const { rows } = await other.kysely.executeQuery<{ value: number }>(
        run(other, 'select value from scratch where id = 1'),
      );
      expect(rows[0]?.value).toBe(10);
    } finally {
      await stalled.close();
      await other.close();
      await fresh.drop();
    }
  });

  test('a lost read connection fails only the reads in flight on it (503), is reported once, and the next reads get a new one', async () => {
    const fresh = await freshDatabase();
    const reported: Error[] = [];
    const reading = openDatabase(fresh.url, {
      poolSize: 1,
      readConnections: 2,
      onReadConnectionLost: (error) => reported.push(error),
    });
    const read = (text: string) =>
      reading.reads.all<{ pid: number }>(sql.raw(text).compile(reading.kysely));
    try {
      const pids = (await Promise.all([read(PID), read(PID)])).flat().map((row) => row.pid);
      const before = new Set(pids);
      expect(before.size).toBe(2);
      // A slow read on each connection, in flight when the server ends both sessions.
      const inFlight = [
        read(`select pg_sleep(2), ${PID_COLUMN}`),
        read(`select pg_sleep(2), ${PID_COLUMN}`),
      ];
      const settled = Promise.allSettled(inFlight);
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      // Both slow reads have reached the server (they are running), not merely been sent.
      await eventually(async () => {
        const { rows } = await admin.query(
          "select count(*)::int as n from pg_stat_activity where pid = any($1::int[]) and query like 'select pg_sleep(2)%' and state = 'active'",
          [[...before]],
        );
        return rows[0].n === 2;
      });
      await admin.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [
        [...before],
      ]);
      await admin.end();

      const failures = (await settled).flatMap((outcome) =>
        outcome.status === 'rejected' ? [outcome.reason] : [],
      );
      expect(failures).toHaveLength(2);
      for (const failure of failures) expect(failure).toBeInstanceOf(DatabaseUnavailable);
      // One report per connection, whichever of its reads and events saw the loss first.
      expect(reported).toHaveLength(2);
      const after = (await read(PID))[0]?.pid;
      expect(after).toBeDefined();
      expect(before.has(after as number)).toBe(false);
      // Closing the database ends its connections: that is not a loss.
      await reading.close();
      expect(reported).toHaveLength(2);
    } finally {
      await reading.close();
      await fresh.drop();
    }
  });

  test('a unit of work on a database that refuses connections, or is gone, is DatabaseUnavailable (503), not an error', async () => {
    const fresh = await freshDatabase();
    const name = new URL(fresh.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: fresh.url.replace(`/${name}`, '/postgres') });
    await admin.connect();
    const refusing = openDatabase(fresh.url, { poolSize: 1 });
    const gone = openDatabase(fresh.url.replace(`/${name}`, `/${name}_never_made`), {
      poolSize: 1,
    });
    try {
      await admin.query(`alter database ${name} allow_connections false`); // SQLSTATE 55000
      const unitOfWork = (database: Database) =>
        database
          .transaction((tx) => tx.execute(statement('select 1')))
          .catch((error: unknown) => error);

      for (const failure of [await unitOfWork(refusing), await unitOfWork(gone)]) {
        expect(failure).toBeInstanceOf(DatabaseUnavailable);
        expect(failure).toMatchObject({ nothingWritten: true, retryAtOnce: false });
      }
    } finally {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
      await refusing.close();
      await gone.close();
      await fresh.drop();
    }
  });

  test('a read connection that cannot be opened in time is DatabaseUnavailable (503), not an error', async () => {
    // A server that accepts connections and never answers: `pg` gives up after 5 s.
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const reported: Error[] = [];
    const reading = openDatabase(`postgres://postgres@127.0.0.1:${port}/nowhere`, {
      readConnections: 1,
      onReadConnectionLost: (error) => reported.push(error),
    });
    try {
      const failure = await reading.reads
        .all(sql.raw(PID).compile(reading.kysely))
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(DatabaseUnavailable);
      expect(failure).toMatchObject({ nothingWritten: true });
      // Never opened: not a lost connection (the failed read says what happened).
      expect(reported).toEqual([]);
    } finally {
      await reading.close();
      silent.close();
    }
  });

  test('the readiness check against a server that accepts connections and never answers fails within 2 s, not the 5 s a connection may take', async () => {
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const checked = openDatabase(`postgres://postgres@127.0.0.1:${port}/nowhere`, {
      poolSize: 1,
    });
    try {
      const started = performance.now();
      const failure = await checked.ping().catch((error: unknown) => error);
      const took = Math.round(performance.now() - started);

      expect(took, `the check took ${took} ms`).toBeLessThan(2_500);
      expect(failure).toBeInstanceOf(DatabaseUnavailable);
      expect(failure).toMatchObject({ nothingWritten: true });
    } finally {
      await checked.close();
      silent.close();
    }
  });

  test('a read stuck behind a lock is cancelled by PostgreSQL after the read timeout (503), and its connection serves the next read', async () => {
    const fresh = await freshDatabase();
    const admin = new pg.Client({ connectionString: fresh.url });
    await admin.connect();
    const reading = openDatabase(fresh.url, { readConnections: 1, readTimeoutMs: 300 });
    const read = (text: string) =>
      reading.reads.all<{ pid: number }>(sql.raw(text).compile(reading.kysely));
    try {
      await admin.query('create table locked (id int)');
      const before = (await read(PID))[0]?.pid;
      await admin.query('begin');
      await admin.query('lock table locked in access exclusive mode');

      const failure = await read(`select ${PID_COLUMN} from locked`).catch((error) => error);
      await admin.query('rollback');

      expect(failure).toBeInstanceOf(DatabaseUnavailable);
      expect(failure).toMatchObject({ nothingWritten: true, cause: { code: '57014' } });
      expect((await read(PID))[0]?.pid).toBe(before);
    } finally {
      await admin.end();
      await reading.close();
      await fresh.drop();
    }
  });

  test('a read connection that goes silent (a network partition) fails its reads within the read timeout (503), and the next read gets a new one', async () => {
    const reported: Error[] = [];
    const options = {
      readConnections: 1,
      readTimeoutMs: 500,
      onReadConnectionLost: (error: Error) => reported.push(error),
    };
    await throughProxy(options, async (reading, proxy) => {
      const read = (text: string) =>
        reading.reads.all<{ pid: number }>(sql.raw(text).compile(reading.kysely));
      const before = (await read(PID))[0]?.pid;
      proxy.stall();

      // Without a deadline these would wait for TCP to give up, long after the test's own.
      const failures = await Promise.all([read(PID), read(PID)].map((r) => r.catch((e) => e)));

      for (const failure of failures) {
        expect(failure).toBeInstanceOf(DatabaseUnavailable);
        expect(failure).toMatchObject({ nothingWritten: true, cause: { code: 'ETIMEDOUT' } });
      }
      expect(reported).toMatchObject([{ code: 'ETIMEDOUT' }]);
      const after = (await read(PID))[0]?.pid;
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    });
  });

  test('a command whose server goes silent (a network partition) fails within the command timeout (503, not run again at once), having written nothing', async () => {
    await throughProxy({ poolSize: 2, commandTimeoutMs: 500 }, async (writing, proxy) => {
      const run = (text: string) => (tx: SqlTransaction) =>
        tx.execute(sql.raw(text).compile(writing.kysely));
      await writing.transaction(run('create table counter (value int)'));
      await writing.transaction(run('insert into counter values (0)'));

      // Without a deadline this would wait for TCP to give up, long after the test's own.
      const failure = await writing
        .transaction(async (tx) => {
          await run('update counter set value = value + 1')(tx);
          proxy.stall();
          await run('update counter set value = value + 10')(tx);
        })
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(DatabaseUnavailable);
      expect(failure).toMatchObject({ nothingWritten: true, retryAtOnce: false });
      // A new connection serves the next command, and nothing of the failed one was kept.
      const { rows } = await writing.transaction(run('select value from counter'));
      expect(rows).toEqual([{ value: 0 }]);
    });
  });

  test('a connection lost during the COMMIT of work that only read wrote nothing: it may run again at once', async () => {
    await throughProxy({ poolSize: 1 }, async (database, proxy) => {
      const failure = await database
        .transaction(async (tx) => {
          await tx.execute(statement('select 1'));
          proxy.refuse(); // the connection goes as the work ends: its COMMIT is lost
        })
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(DatabaseUnavailable);
      expect(failure).toMatchObject({ nothingWritten: true, retryAtOnce: true });
    });
  });

  test('the readiness check on a connection gone silent fails within the command timeout, and the next check gets a new one', async () => {
    await throughProxy({ poolSize: 1, commandTimeoutMs: 500 }, async (checked, proxy) => {
      await checked.ping(); // a pooled connection, then idle
      proxy.stall();

      // Without a deadline this would wait for TCP to give up, long after the test's own.
      const failure = await checked.ping().catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(DatabaseUnavailable);
      // The silent connection was dropped: the next check gets a new one (the proxy passes
      // new connections).
      await checked.ping();
    });
  });
});

/**
 * A fresh database reached through a TCP proxy the test can stall or cut, opened with
 * `options` for `use`; closed, and dropped, after it.
 */
async function throughProxy(
  options: Parameters<typeof openDatabase>[1],
  use: (database: Database, proxy: TcpProxy) => Promise<void>,
): Promise<void> {
  const fresh = await freshDatabase();
  const proxy = TcpProxy.for(fresh.url);
  await proxy.up();
  const database = openDatabase(proxy.via(fresh.url), options);
  try {
    await use(database, proxy);
  } finally {
    await database.close();
    await proxy.down();
    await fresh.drop();
  }
}

const PID_COLUMN = 'pg_backend_pid() as pid';
const PID = `select ${PID_COLUMN}`;
