import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Logger } from '../../application/logger.ts';
import type { EmailMessage, Mailer } from '../../application/mailer.ts';

/**
 * Development without an SMTP server: each email becomes an `.eml` file (open it with any
 * mail client) in `directory`, and a log line names it.
 */
export class FileMailer implements Mailer {
  readonly #directory: string;
  readonly #from: string;
  readonly #log: Logger;
  /** Composes the message; loaded with the first email, not at start-up. */
  #composer: Promise<Transporter> | undefined;

  constructor(directory: string, from: string, log: Logger) {
    this.#directory = directory;
    this.#from = from;
    this.#log = log;
  }

  async send(message: EmailMessage): Promise<void> {
    this.#composer ??= import('nodemailer').then((m) =>
      m.default.createTransport({ streamTransport: true, buffer: true }),
    );
    const { message: raw } = (await (
      await this.#composer
    ).sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.messageId && { messageId: `<${message.messageId}@taskflow>` }),
    })) as { message: Buffer };
    await mkdir(this.#directory, { recursive: true });
    const name = `${new Date().toISOString().replaceAll(':', '-')}-${message.messageId ?? Math.random().toString(36).slice(2)}.eml`;
    const path = join(this.#directory, name);
    await writeFile(path, raw);
    this.#log.info({ path, to: message.to, subject: message.subject }, 'email written to a file');
  }
}
