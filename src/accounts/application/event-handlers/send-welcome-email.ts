import type { Mailer } from '../../../building-blocks/application/mailer.ts';
import type { UserAccountCreated } from '../../../shared-kernel/domain/user-account-created.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { UserReadModel } from '../queries/user-read-model.ts';

/**
 * A new user is greeted by email. Sent from the outbox: at least once (a crash after the
 * send and before the inbox records it sends it again); the message id goes along so a mail
 * system can drop the repeat.
 *
 * The account is looked up first: a message delivered late (after a crash, or retried) may
 * find it deleted, and the person who deleted it is not greeted; or its address changed,
 * and the greeting goes to the address the account has now.
 */
export function sendWelcomeEmail(mailer: Mailer, users: Pick<UserReadModel, 'findUser'>) {
  return async (event: UserAccountCreated, message: { id: string }): Promise<void> => {
    const user = await users.findUser(event.payload.userId as UserId);
    if (!user) return;
    await mailer.send({
      to: user.email,
      subject: 'Welcome to Taskflow',
      text: [
        'Hello,',
        '',
        'your Taskflow account is ready. A first project is waiting for you, with a few tasks',
        'to show you around.',
        '',
        'The Taskflow team',
      ].join('\n'),
      messageId: message.id,
    });
  };
}
