/**
 * A table kept in memory with transaction semantics, for the fakes of repositories:
 * writes made between `begin` and `rollback` disappear; values are copied in and out so
 * a test cannot change stored state by mutating an object it holds.
 */
export class InMemoryStore<Key, Value> {
  #committed = new Map<Key, Value>();
  #working: Map<Key, Value> | undefined;

  begin(): void {
    if (this.#working) throw new Error('A transaction is already open on this store.');
    this.#working = new Map(this.#committed);
  }

  commit(): void {
    this.#committed = this.#current();
    this.#working = undefined;
  }

  rollback(): void {
    this.#working = undefined;
  }

  get(key: Key): Value | undefined {
    const value = this.#current().get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  set(key: Key, value: Value): void {
    this.#current().set(key, structuredClone(value));
  }

  delete(key: Key): void {
    this.#current().delete(key);
  }

  values(): Value[] {
    return [...this.#current().values()].map((value) => structuredClone(value));
  }

  #current(): Map<Key, Value> {
    return this.#working ?? this.#committed;
  }
}
