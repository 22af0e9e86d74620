import type { CompiledQuery, Kysely } from 'kysely';
import type { Pool, PoolClient } from 'pg';
import { ConcurrencyConflict } from '../../application/concurrency-conflict.ts';
import { DatabaseUnavailable } from '../../application/database-unavailable.ts';
import type { Database } from './database.ts';
import { connectionTrouble, isSerializationFailure } from './errors.ts';
import { mayWrite } from './in-transaction.ts';
import { batchWrites, runStatement } from './postgres-statements.ts';

/**
 * A transaction on a connection of the pool, held until it ends, with its statements run
 * by name (`runStatement`).
 *
 * The connections pipeline (`pg`'s `pipeline` mode): `begin` is sent without waiting for its
 * answer, so it reaches the server together with the unit of work's first statement, and a
 * command makes one round trip less (a command on a project: lock the project, read the
 * task, write, commit). The first statement's answer is used only once `begin`'s has come
 * back (PostgreSQL answers in order), so no unit of work goes on after a failed `begin`.
 *
 * What went wrong is told in the terms the bus acts on: a serialization failure or broken
 * deadlock is a `ConcurrencyConflict` (run the command again); a connection lost before
 * COMMIT was sent is a `DatabaseUnavailable` that wrote nothing (the server rolled the
 * transaction back) and may run again at once; one lost during COMMIT may have committed: not
 * run again, and the client is told the outcome is unknown (unless the work sent only reads: a
 * command that decided to change nothing wrote nothing, whatever became of its COMMIT). No
 * connection to be had (in time,
 * or at all: a server that refuses this database) is a `DatabaseUnavailable` that wrote
 * nothing but is not run again at once, and so is a statement left unanswered for
 * `answerWithinMs` (its connection is dropped: `withinMs`).
 */
export function pooledTransaction(
  pool: () => Promise<Pool>,
  builder: Kysely<object>,
  answerWithinMs: number,
): Database['transaction'] {
  return async (work) => {
    let commitSent = false;
    // Whether the work sent anything but reads: a COMMIT whose answer was lost after reads
    // alone (a command that decided to change nothing) certainly stored nothing.
    let wrote = false;
    let client: PoolClient | undefined;
    try {
      client = await (await pool()).connect();
      const batched = batchWrites(client);
      const connection = client;
      const answered = <T>(statement: Promise<T>) =>
        withinMs(statement, connection, answerWithinMs);
      try {
        batched();
        // Not awaited: it goes out with the first statement. Awaited with every statement's
        // answer, and before COMMIT.
        const begun = answered(client.query('begin'));
        begun.catch(() => {});
        const result = await work({
          builder,
          execute: (query) => {
            batched();
            wrote ||= mayWrite(query);
            return afterBegin(begun, connection, query, answered);
          },
        });
        await begun;
        commitSent = true;
        await answered(client.query('commit'));
        client.release();
        return result;
      } catch (error) {
        await rollback(client);
        throw error;
      }
    } catch (error) {
      if (client === undefined) {
        // No connection to be had, whatever the reason (the server refusing connections to
        // this database, 55000, or the database gone, 3D000, as much as a lost network):
        // nothing was written. Not run again at once unless the connection itself was lost.
        throw new DatabaseUnavailable(error, {
          nothingWritten: true,
          retryAtOnce: connectionTrouble(error) === 'lost',
        });
      }
      const nothingWritten = !commitSent || !wrote;
      if (silenced.has(client)) {
        // Not run again at once: a server that went silent (a network partition) would most
        // likely hold the next attempt as long.
        throw new DatabaseUnavailable(error, { nothingWritten, retryAtOnce: false });
      }
      if (isSerializationFailure(error)) throw new ConcurrencyConflict('The data');
      const trouble = connectionTrouble(error);
      if (trouble) {
        throw new DatabaseUnavailable(error, { nothingWritten, retryAtOnce: trouble === 'lost' });
      }
      throw error;
    }
  };
}

/** Sends `query` at once; its answer is given only with `begin`'s (which comes first). */
async function afterBegin<Row>(
  begun: Promise<unknown>,
  client: PoolClient,
  query: CompiledQuery,
  answered: <T>(statement: Promise<T>) => Promise<T>,
) {
  const [, result] = await Promise.all([begun, answered(runStatement<Row>(client, query))]);
  return result;
}

/** Connections dropped because the server did not answer a statement in time. */
const silenced = new WeakSet<PoolClient>();

/**
 * `statement`'s answer, unless it takes longer than `ms`: then the connection is dropped,
 * which fails every statement on it (and is remembered in `silenced`). A connection whose
 * server went silent (a network partition, a server stopped without closing its sockets) would
 * otherwise hold its command, and the client's request, until TCP gave up: many minutes.
 */
function withinMs<T>(statement: Promise<T>, client: PoolClient, ms: number): Promise<T> {
  const timer = setTimeout(() => {
    silenced.add(client);
    const silent = new Error(`PostgreSQL did not answer a statement within ${ms} ms`);
    client.connection.stream.destroy(Object.assign(silent, { code: 'ETIMEDOUT' }));
  }, ms);
  return statement.finally(() => clearTimeout(timer));
}

/** Rolls back and gives the connection back; one that cannot even roll back is dropped. */
async function rollback(client: PoolClient): Promise<void> {
  try {
    await client.query('rollback');
    client.release();
  } catch (error) {
    client.release(error as Error);
  }
}
