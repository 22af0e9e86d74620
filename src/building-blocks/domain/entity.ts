/** Something with an identity that outlives changes to its attributes. */
export abstract class Entity<Id extends string | number> {
  readonly id: Id;

  protected constructor(id: Id) {
    this.id = id;
  }

  equals(other: Entity<Id>): boolean {
    return other.constructor === this.constructor && other.id === this.id;
  }
}
