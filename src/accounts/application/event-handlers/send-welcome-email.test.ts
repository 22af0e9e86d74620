import { describe, expect, test } from 'vitest';
import type { EmailMessage } from '../../../building-blocks/application/mailer.ts';
import { UserAccountCreated } from '../../../shared-kernel/domain/user-account-created.ts';
import { sendWelcomeEmail } from './send-welcome-email.ts';

describe('sendWelcomeEmail', () => {
  test('greets the new user at their address, tagged with the message id', async () => {
    const sent: EmailMessage[] = [];
    const handle = sendWelcomeEmail({ send: async (message) => void sent.push(message) });

    await handle(
      UserAccountCreated.create({
        userId: '01900000-0000-7000-8000-000000000001',
        email: 'ada@example.com',
        occurredAt: '2026-01-02T03:04:05.000Z',
      }),
      { id: 'message-1' },
    );

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      to: 'ada@example.com',
      subject: 'Welcome to Taskflow',
      messageId: 'message-1',
    });
  });
});
