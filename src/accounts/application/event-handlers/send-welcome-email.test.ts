import { describe, expect, test } from 'vitest';
import type { EmailMessage } from '../../../building-blocks/application/mailer.ts';
import type { EmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import { UserAccountCreated } from '../../../shared-kernel/domain/user-account-created.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { PasswordHash } from '../../domain/password.ts';
import { InMemoryUserReadModel, InMemoryUserStore } from '../testing/in-memory-users.ts';
import { sendWelcomeEmail } from './send-welcome-email.ts';

const userId = '01900000-0000-7000-8000-000000000001' as UserId;
const created = UserAccountCreated.create({
  userId,
  email: 'ada@example.com',
  occurredAt: '2026-01-02T03:04:05.000Z',
});

function greeter(account?: { email: string }) {
  const store = new InMemoryUserStore();
  if (account) {
    store.set(userId, {
      id: userId,
      email: account.email as EmailAddress,
      passwordHash: '$argon2id$test' as PasswordHash,
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
      version: 1,
    });
  }
  const sent: EmailMessage[] = [];
  const handle = sendWelcomeEmail(
    { send: async (message) => void sent.push(message) },
    new InMemoryUserReadModel(store),
  );
  return { handle, sent };
}

describe('sendWelcomeEmail', () => {
  test('greets the new user at their address, tagged with the message id', async () => {
    const { handle, sent } = greeter({ email: 'ada@example.com' });

    await handle(created, { id: 'message-1' });

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'ada@example.com',
      subject: 'Welcome to Taskflow',
      messageId: 'message-1',
    });
  });

  test('greets no one when the account was deleted before the message was delivered', async () => {
    const { handle, sent } = greeter();

    await handle(created, { id: 'message-1' });

    expect(sent).toEqual([]);
  });

  test('greets the address the account has now, when it changed before the delivery', async () => {
    const { handle, sent } = greeter({ email: 'ada.lovelace@example.com' });

    await handle(created, { id: 'message-1' });

    expect(sent.map((message) => message.to)).toEqual(['ada.lovelace@example.com']);
  });
});
