import { describe, expect, test } from 'vitest';
import type { EmailAddress } from '../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';
import { type PasswordHash, PasswordRulesNotMet, parsePassword } from './password.ts';
import { User } from './user.ts';

const id = '00000000-0000-7000-8000-000000000001' as UserId;
const email = 'alice@example.com' as EmailAddress;
const passwordHash = '$argon2id$hash' as PasswordHash;
const now = new Date('2026-01-02T03:04:05.000Z');

describe('User', () => {
  test('registering records UserAccountCreated with the id, email and time', () => {
    const user = User.register({ id, email, passwordHash, now });

    expect(user.pullEvents()).toEqual([
      {
        type: 'accounts.UserAccountCreated',
        payload: { userId: id, email, occurredAt: '2026-01-02T03:04:05.000Z' },
      },
    ]);
    expect(user.pullEvents()).toEqual([]);
  });

  test('restoring a stored user raises no event', () => {
    const user = User.restore({ id, email, passwordHash, createdAt: now, version: 3 });

    expect(user.pullEvents()).toEqual([]);
    expect(user.version).toBe(3);
  });

  test('changes its email address', () => {
    const user = User.register({ id, email, passwordHash, now });

    user.changeEmail('bob@example.com' as EmailAddress);

    expect(user.toState().email).toBe('bob@example.com');
  });
});

describe('Password', () => {
  test('is 8 to 128 characters, counted as a person counts them', () => {
    expect(parsePassword('12345678')).toBe('12345678');
    expect(parsePassword('x'.repeat(128))).toHaveLength(128);
    for (const bad of ['1234567', 'x'.repeat(129), '🔑🔑🔑🔑🔑🔑🔑']) {
      expect(() => parsePassword(bad), bad).toThrow(PasswordRulesNotMet);
    }
  });
});

describe('User leaving', () => {
  test('deleting records UserAccountDeleted with the id and time', () => {
    const user = User.restore({ id, email, passwordHash, createdAt: now, version: 1 });

    user.delete(now);

    expect(user.pullEvents()).toEqual([
      {
        type: 'accounts.UserAccountDeleted',
        payload: { userId: id, occurredAt: '2026-01-02T03:04:05.000Z' },
      },
    ]);
  });
});
