import type { Transporter } from 'nodemailer';
import type { EmailMessage, Mailer } from '../../application/mailer.ts';

/**
 * How long an SMTP server may take to accept the connection, to greet, and to answer each
 * command. nodemailer's own defaults (2 min, 30 s, 10 min) let a server that stalls hold a
 * welcome email, and the relay's poll behind it, for ten minutes; a failure is retried later.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Sends through an SMTP server (`SMTP_URL`, e.g. `smtp://user:pass@host:587`). nodemailer is
 * loaded with the first email, not at start-up (it is most of a hundred modules).
 */
export class SmtpMailer implements Mailer {
  readonly #url: string;
  readonly #from: string;
  readonly #timeouts: typeof SMTP_TIMEOUTS;
  #transport: Promise<Transporter> | undefined;

  constructor(url: string, from: string, timeouts = SMTP_TIMEOUTS) {
    this.#url = url;
    this.#from = from;
    this.#timeouts = timeouts;
  }

  async send(message: EmailMessage): Promise<void> {
    this.#transport ??= import('nodemailer').then((m) =>
      m.default.createTransport({ url: this.#url, ...this.#timeouts }),
    );
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
