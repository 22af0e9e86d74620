import type { Mailer } from '../../../building-blocks/application/mailer.ts';
import type { UserAccountCreated } from '../../../shared-kernel/domain/user-account-created.ts';

/**
 * A new user is greeted by email. Sent from the outbox: at least once (a crash after the
 * send and before the inbox records it sends it again); the message id goes along so a mail
 * system can drop the repeat.
 */
export function sendWelcomeEmail(mailer: Mailer) {
  return async (event: UserAccountCreated, message: { id: string }): Promise<void> => {
    await mailer.send({
      to: event.payload.email,
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
