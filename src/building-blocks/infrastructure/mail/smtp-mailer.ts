import type { Transporter } from 'nodemailer';
import type { EmailMessage, Mailer } from '../../application/mailer.ts';

/**
 * Sends through an SMTP server (`SMTP_URL`, e.g. `smtp://user:pass@host:587`). nodemailer is
 * loaded with the first email, not at start-up (it is most of a hundred modules).
 */
export class SmtpMailer implements Mailer {
  readonly #url: string;
  readonly #from: string;
  #transport: Promise<Transporter> | undefined;

  constructor(url: string, from: string) {
    this.#url = url;
    this.#from = from;
  }

  async send(message: EmailMessage): Promise<void> {
    this.#transport ??= import('nodemailer').then((m) => m.default.createTransport(this.#url));
    const transport = await this.#transport;
    await transport.sendMail({
      from: this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.messageId && { messageId: `<${message.messageId}@taskflow>` }),
    });
  }

  close(): void {
    void this.#transport?.then((transport) => transport.close());
  }
}
