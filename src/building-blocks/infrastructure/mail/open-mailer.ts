import type { Logger } from '../../application/logger.ts';
import type { Mailer } from '../../application/mailer.ts';
import { FileMailer } from './file-mailer.ts';
import { SmtpMailer } from './smtp-mailer.ts';

/** SMTP when a server is configured; otherwise `.eml` files a developer can open. */
export function openMailer(
  settings: { smtpUrl: string | undefined; mailFrom: string; mailDirectory: string },
  log: Logger,
): Mailer & { close?(): void } {
  if (settings.smtpUrl) return new SmtpMailer(settings.smtpUrl, settings.mailFrom);
  return new FileMailer(settings.mailDirectory, settings.mailFrom, log);
}
