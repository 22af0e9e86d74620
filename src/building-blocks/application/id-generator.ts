/** Makes identities for new aggregates (UUID v7 in production, a counter in tests). */
export interface IdGenerator {
  next(): string;
}
