import type { Brand } from '../../building-blocks/domain/brand.ts';
import { codePoints } from '../../shared-kernel/domain/code-points.ts';
import { InvalidName } from './errors.ts';

export type ProjectName = Brand<string, 'ProjectName'>;
export type TaskName = Brand<string, 'TaskName'>;

export const NAME_MIN_LENGTH = 4;
export const NAME_MAX_LENGTH = 32;

const CONTROL_CHARACTER = /\p{Cc}/u;
/**
 * Embeddings, overrides and isolates: they reorder the text around them when it is shown,
 * so a name could read differently from what it is (the "Trojan Source" trick).
 */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/**
 * What shows as nothing: white space, format characters (zero-width space and joiners,
 * direction marks, the byte-order mark, soft hyphens), the other default-ignorable characters
 * (variation selectors, Hangul fillers), and the blank Braille pattern.
 */
const INVISIBLE = /[\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;
/**
 * The 66 code points Unicode sets aside for a program's internal use (U+FDD0-U+FDEF and the
 * last two of each plane, U+FFFE and U+FFFF among them): no character a person types, and a
 * U+FFFE at the start of a text reads as a byte-order mark the wrong way round.
 */
const NONCHARACTER = /\p{Noncharacter_Code_Point}/u;
/** Anything but a combining mark. */
const BASE_CHARACTER = /\P{M}/u;

/**
 * Project and task names: NFC (one form for an accented letter however it was typed),
 * trimmed, 4 to 32 characters (code points), no control or bidi-control characters, no lone
 * surrogates, no noncharacters, and something visible (not only invisible characters and combining marks).
 * Direction marks (U+200E, U+200F, U+061C) are allowed: they reorder nothing, and a name that
 * mixes right-to-left and left-to-right text may need them to show as typed.
 */
export function parseProjectName(raw: string): ProjectName {
  return parseName(raw, 'project') as ProjectName;
}

export function parseTaskName(raw: string): TaskName {
  return parseName(raw, 'task') as TaskName;
}

/** A name as the rules read it: NFC-normalised and trimmed (the HTTP edge checks the same). */
export function normaliseName(raw: string): string {
  return raw.normalize('NFC').trim();
}

function parseName(raw: string, what: 'project' | 'task'): string {
  const name = normaliseName(raw);
  const length = codePoints(name);
  const refuse = (why: string) => new InvalidName(what, NAME_MIN_LENGTH, NAME_MAX_LENGTH, why);
  if (CONTROL_CHARACTER.test(name)) throw refuse('it holds a control character');
  // Half of a UTF-16 pair: no character at all, stored (as UTF-8) as a replacement character.
  if (!name.isWellFormed()) throw refuse('it holds a broken character (a lone surrogate)');
  if (BIDI_CONTROL.test(name)) throw refuse('it holds a character that reverses the text');
  if (NONCHARACTER.test(name)) throw refuse('it holds a noncharacter (such as U+FFFE)');
  // A combining mark alone (an accent with no letter under it) shows nothing of its own.
  if (!BASE_CHARACTER.test(name.replace(INVISIBLE, ''))) {
    throw refuse('it has no visible character');
  }
  if (length < NAME_MIN_LENGTH || length > NAME_MAX_LENGTH) {
    throw refuse(`it has ${length} characters`);
  }
  return name;
}
