/** An email to send: plain text, one recipient. */
export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Lets the receiving side drop a repeat (an at-least-once sender may send twice). */
  readonly messageId?: string;
}

/** Sends email (SMTP in production, files in development). */
export interface Mailer {
  send(message: EmailMessage): Promise<void>;
}
