import type { CompiledQuery } from 'kysely';

/**
 * A compiled query the database may prepare once per connection and then run by name: on
 * PostgreSQL a named statement is parsed and planned the first time a connection runs it,
 * and from then on only bound and executed (the generic plan is kept once it costs no more
 * than a custom one). SQLite's connection keeps its prepared statements by SQL text, and
 * ignores the name.
 */
export interface NamedQuery<Row = unknown> extends CompiledQuery<Row> {
  readonly statementName: string;
}

/** One name per SQL text in this process: a name never stands for two texts. */
const names = new Map<string, string>();

/** `query` with the name of its SQL text (`preparedQuery` names everything it compiles). */
export function named<Row>(query: CompiledQuery<Row>): NamedQuery<Row> {
  let statementName = names.get(query.sql);
  if (statementName === undefined) {
    statementName = `taskflow_${names.size + 1}`;
    names.set(query.sql, statementName);
  }
  return { ...query, statementName };
}

/** The statement name of a query compiled by `preparedQuery`; none for a one-off query. */
export function statementNameOf(query: CompiledQuery): string | undefined {
  return (query as Partial<NamedQuery>).statementName;
}
