import type { EmailMessage, Mailer } from '../../src/building-blocks/application/mailer.ts';

/** Keeps what it was asked to send. */
export class RecordingMailer implements Mailer {
  readonly sent: EmailMessage[] = [];

  async send(message: EmailMessage): Promise<void> {
    this.sent.push(message);
  }

  to(address: string): EmailMessage[] {
    return this.sent.filter((message) => message.to === address);
  }
}
