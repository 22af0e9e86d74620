import { describe, expect, test } from 'vitest';
import { InvalidEmailAddress, parseEmailAddress } from './email-address.ts';
import { InvalidUserId, parseUserId } from './user-id.ts';

describe('EmailAddress', () => {
  test('is trimmed and lower-cased', () => {
    expect(parseEmailAddress('  Alice@Example.COM ')).toBe('alice@example.com');
  });

  test.each([
    'plainaddress',
    '@example.com',
    'alice@',
    'alice@example',
    'alice@@example.com',
    'al ice@example.com',
    `${'a'.repeat(250)}@example.com`,
    // A NUL byte (PostgreSQL's text cannot hold one) and half of a UTF-16 pair.
    'a\u0000b@example.com',
    'a\ud800b@example.com',
  ])('refuses %s', (bad) => {
    expect(() => parseEmailAddress(bad)).toThrow(InvalidEmailAddress);
  });
});

describe('UserId', () => {
  test('is a lower-case UUID', () => {
    expect(parseUserId('01A20BA9-A4AB-7E71-ACEA-5AB45D6A0F66')).toBe(
      '01a20ba9-a4ab-7e71-acea-5ab45d6a0f66',
    );
    expect(() => parseUserId('not-a-uuid')).toThrow(InvalidUserId);
  });
});
