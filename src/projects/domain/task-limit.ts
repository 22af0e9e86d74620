import type { Brand } from '../../building-blocks/domain/brand.ts';
import { InvalidTaskLimit } from './errors.ts';

/**
 * The most tasks a project may hold incomplete at once: a positive whole number. A project
 * without a limit holds `null` instead.
 */
export type TaskLimit = Brand<number, 'TaskLimit'>;

/** A limit, or `null` for none; `InvalidTaskLimit` for anything but a positive whole number. */
export function parseTaskLimit(raw: number | null): TaskLimit | null {
  if (raw === null) return null;
  if (!Number.isSafeInteger(raw) || raw < 1) throw new InvalidTaskLimit();
  return raw as TaskLimit;
}
