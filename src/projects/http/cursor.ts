import { DomainError } from '../../building-blocks/domain/domain-error.ts';

/** A cursor the list route cannot use: not one it gave out, or one for another list. */
export class InvalidCursor extends DomainError {
  readonly code = 'invalid-cursor';
  readonly kind = 'invalid';

  constructor() {
    super(
      'The cursor is not one this list gave out: start again without it, or pass nextCursor as it came.',
    );
  }
}

/**
 * What a cursor holds: the list it belongs to (`scope`, e.g. `tasks:7:open`) and the key of the
 * last item of the page before (keyset pagination: the next page starts after it).
 */
interface CursorContent {
  scope: string;
  after: number;
}

const VERSION = 'c1';

/**
 * Opaque to clients (base64url), bound to its list: a cursor of project 7's open tasks is
 * refused on project 8 or on the completed tasks. It is not signed: a client that writes one
 * by hand only chooses where a list of its own data starts, which it could do by paging.
 */
export function encodeCursor({ scope, after }: CursorContent): string {
  return Buffer.from(`${VERSION}|${scope}|${after}`).toString('base64url');
}

/** The key to continue after, or `InvalidCursor` (a 422) for anything else. */
export function decodeCursor(cursor: string, scope: string): number {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw new InvalidCursor();
  const [version, cursorScope, after, ...rest] = Buffer.from(cursor, 'base64url')
    .toString('utf8')
    .split('|');
  if (version !== VERSION || cursorScope !== scope || rest.length > 0) throw new InvalidCursor();
  if (!/^[1-9][0-9]{0,9}$/.test(after ?? '') || Number(after) > 2_147_483_647) {
    throw new InvalidCursor();
  }
  return Number(after);
}
