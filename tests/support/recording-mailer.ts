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

/**
 * A mail server that stalls: keeps what it was asked to send, but answers none of it until
 * the test calls `release` (then all at once, and every send after at once).
 */
export class StalledMailer extends RecordingMailer {
  /** How many sends are waiting for `release`. */
  waiting = 0;
  readonly #released = Promise.withResolvers<void>();

  override async send(message: EmailMessage): Promise<void> {
    this.waiting += 1;
    await this.#released.promise;
    this.waiting -= 1;
    await super.send(message);
  }

  release(): void {
    this.#released.resolve();
  }
}
