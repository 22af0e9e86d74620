import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailMessage, Mailer } from '../../application/mailer.ts';

/** Sends through an SMTP server (`SMTP_URL`, e.g. `smtp://user:pass@host:587`). */
export class SmtpMailer implements Mailer {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(url: string, from: string) {
    this.#transport = nodemailer.createTransport(url);
    this.#from = from;
  }

  async send(message: EmailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.messageId && { messageId: `<${message.messageId}@taskflow>` }),
    });
  }

  close(): void {
    this.#transport.close();
  }
}
