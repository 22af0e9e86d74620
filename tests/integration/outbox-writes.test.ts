import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { AccountsRepositories } from '../../src/accounts/application/ports.ts';
import type { PasswordHash } from '../../src/accounts/domain/password.ts';
import { User } from '../../src/accounts/domain/user.ts';
import type { AccountsTables } from '../../src/accounts/infrastructure/tables.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import type { KyselyUnitOfWork } from '../../src/building-blocks/infrastructure/kysely-unit-of-work.ts';
import { uuidV7 } from '../../src/building-blocks/infrastructure/uuid-v7.ts';
import type { OutboxMessage } from '../../src/building-blocks/messaging/outbox-message.ts';
import type { EmailAddress } from '../../src/shared-kernel/domain/email-address.ts';
import type { UserId } from '../../src/shared-kernel/domain/user-id.ts';
import { accountsUnitOfWork } from '../support/accounts-unit-of-work.ts';
import { outboxRows } from '../support/outbox-rows.ts';
import { openTestDatabase, TEST_DIALECT } from '../support/test-database.ts';

let database: Database;
let drop: () => Promise<void>;
const dispatched: OutboxMessage[] = [];
let uow: KyselyUnitOfWork<AccountsTables, AccountsRepositories>;

beforeAll(async () => {
  ({ database, drop } = await openTestDatabase());
  uow = accountsUnitOfWork(database, dispatched);
});
afterAll(() => drop());
beforeEach(() => {
  dispatched.length = 0;
});

const newUser = (email: string) =>
  User.register({
    id: uuidV7() as UserId,
    email: email as EmailAddress,
    passwordHash: '$argon2id$test' as PasswordHash,
    now: new Date('2026-01-02T03:04:05.000Z'),
  });

const rowsAbout = async (userId: string) =>
  (await outboxRows(database, 'accounts')).filter((row) => row.payload.includes(userId));

describe(`the unit of work's outbox (${TEST_DIALECT})`, () => {
  test('a unit of work that commits writes exactly its events, then dispatches them', async () => {
    const user = newUser('committed@example.com');

    await uow.run(({ users }) => users.add(user));

    const rows = await rowsAbout(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'accounts.UserAccountCreated', attempts: 0 });
    expect(rows[0]?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
    expect(JSON.parse(rows[0]?.payload ?? '')).toEqual({
      userId: user.id,
      email: 'committed@example.com',
      occurredAt: '2026-01-02T03:04:05.000Z',
    });
    expect(dispatched.map((message) => message.id)).toEqual([rows[0]?.id]);
  });

  test('a unit of work that rolls back writes no message and dispatches none', async () => {
    const user = newUser('rolled-back@example.com');

    await expect(
      uow.run(async ({ users }) => {
        await users.add(user);
        throw new Error('a later step failed');
      }),
    ).rejects.toThrow('a later step failed');

    expect(await rowsAbout(user.id)).toEqual([]);
    expect(dispatched).toEqual([]);
  });

  test('a unit of work that records no event writes no message', async () => {
    const user = newUser('quiet@example.com');
    await uow.run(({ users }) => users.add(user));
    const before = (await outboxRows(database, 'accounts')).length;

    await uow.run(({ users }) => users.findById(user.id));

    expect(await outboxRows(database, 'accounts')).toHaveLength(before);
  });

  test('messages of one process sort in the order they were written', async () => {
    const users = Array.from({ length: 20 }, (_, i) => newUser(`order${i}@example.com`));
    await uow.run(async (repositories) => {
      for (const user of users) await repositories.users.add(user);
    });

    const order = (await outboxRows(database, 'accounts'))
      .map((row) => JSON.parse(row.payload).userId)
      .filter((id) => users.some((user) => user.id === id));
    expect(order).toEqual(users.map((user) => user.id));
  });
});
