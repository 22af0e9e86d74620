import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { SqlTransaction } from './database.ts';
import { named } from './named-statement.ts';
import type { ReadConnection } from './read-connection.ts';

/** Stands for a parameter while the query is compiled; replaced by its value on each run. */
class Placeholder {
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }
}

/** `param('projectId')` inside a prepared query's builder. */
export type Param<Params> = <K extends keyof Params & string>(name: K) => Params[K];

/**
 * A query built and compiled once, then run many times with different parameter values:
 * the database equivalent of a prepared statement. Building and compiling a Kysely query
 * costs more than running a primary-key lookup on SQLite, so the hot paths (the reads
 * behind every request, the writes of every command) use these.
 *
 *   const byId = preparedQuery((db: Kysely<T>, param: Param<{ id: number }>) =>
 *     db.selectFrom('projects.projects').selectAll().where('id', '=', param('id')));
 *   const rows = await byId.execute(transaction, { id: 7 });   // or byId.read(database.reads, …)
 *
 * Only for queries whose shape does not depend on the values (no variable-length lists).
 * Each compiled query carries a statement name (`named`): on PostgreSQL it is parsed and
 * planned once per connection, not once per run.
 */
export function preparedQuery<DB, Params, Row>(
  build: (db: Kysely<DB>, param: Param<Params>) => Compilable<Row>,
) {
  // One compiled form per dialect adapter: transactions share their database's adapter.
  const compiled = new WeakMap<object, CompiledQuery<Row>>();
  const param = ((name: string) => new Placeholder(name)) as unknown as Param<Params>;

  const compile = (db: Kysely<DB>): CompiledQuery<Row> => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      query = named(build(db, param).compile());
      compiled.set(adapter, query);
    }
    return query;
  };

  const bind = (query: CompiledQuery<Row>, params: Params): CompiledQuery<Row> => {
    const values = params as Record<string, unknown>;
    return {
      ...query,
      parameters: query.parameters.map((value) =>
        value instanceof Placeholder ? values[value.name] : value,
      ),
    };
  };

  const run = (tx: SqlTransaction<DB>, params: Params) =>
    tx.execute<Row>(bind(compile(tx.builder), params));

  return {
    /** In a unit of work's transaction. */
    async execute(tx: SqlTransaction<DB>, params: Params): Promise<Row[]> {
      return (await run(tx, params)).rows;
    },
    async executeTakeFirst(tx: SqlTransaction<DB>, params: Params): Promise<Row | undefined> {
      return (await run(tx, params)).rows[0];
    },
    /** A read outside any unit of work, on the read models' connection. */
    read(reads: ReadConnection, params: Params): Promise<Row[]> {
      return reads.all<Row>(bind(compile(reads.kysely as unknown as Kysely<DB>), params));
    },
    /** For writes: how many rows the statement changed. */
    async affectedRows(tx: SqlTransaction<DB>, params: Params): Promise<bigint> {
      return (await run(tx, params)).numAffectedRows ?? 0n;
    },
  };
}

/**
 * A prepared query in two forms, each compiled once: as it is, and holding the rows it reads
 * (`lock` true: the builder adds `FOR UPDATE` or `FOR SHARE`, which only PostgreSQL takes).
 * The caller picks one per run: `byId(this.#lockRows).execute(…)`.
 */
export function lockablePreparedQuery<DB, Params, Row>(
  build: (db: Kysely<DB>, param: Param<Params>, lock: boolean) => Compilable<Row>,
) {
  const unlocked = preparedQuery<DB, Params, Row>((db, param) => build(db, param, false));
  const locked = preparedQuery<DB, Params, Row>((db, param) => build(db, param, true));
  return (lock: boolean) => (lock ? locked : unlocked);
}
