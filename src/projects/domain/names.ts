import type { Brand } from '../../building-blocks/domain/brand.ts';
import { InvalidName } from './errors.ts';

export type ProjectName = Brand<string, 'ProjectName'>;
export type TaskName = Brand<string, 'TaskName'>;

export const NAME_MIN_LENGTH = 4;
export const NAME_MAX_LENGTH = 32;

const CONTROL_CHARACTER = /\p{Cc}/u;

/** Project and task names: trimmed, 4 to 32 characters (code points), no control characters. */
export function parseProjectName(raw: string): ProjectName {
  return parseName(raw, 'project') as ProjectName;
}

export function parseTaskName(raw: string): TaskName {
  return parseName(raw, 'task') as TaskName;
}

function parseName(raw: string, what: 'project' | 'task'): string {
  const name = raw.trim();
  const length = [...name].length;
  if (length < NAME_MIN_LENGTH || length > NAME_MAX_LENGTH || CONTROL_CHARACTER.test(name)) {
    throw new InvalidName(what, NAME_MIN_LENGTH, NAME_MAX_LENGTH);
  }
  return name;
}
