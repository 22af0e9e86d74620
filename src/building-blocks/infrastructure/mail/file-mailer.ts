import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Logger } from '../../application/logger.ts';
import type { EmailMessage, Mailer } from '../../application/mailer.ts';

/**
 * Development without an SMTP server: each email becomes an `.eml` file (open it with any
 * mail client) in `directory`, and a log line names it. An `.eml` file is always a whole
 * message (`writeWhole`).
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
    await writeWhole(this.#directory, name, raw);
    this.#log.info({ path, to: message.to, subject: message.subject }, 'email written to a file');
  }
}

/**
 * Writes `content` to `name` in `directory` by way of a temporary file there, renamed into
 * place once written: written in place, the file would be an `.eml` message from its first
 * byte, read half-written by whoever lists the directory meanwhile and left partial (even
 * empty) by a process killed during the write or a disk that fills up. A rename within a
 * directory is atomic on POSIX: the name holds the whole message or nothing. The temporary
 * name starts with a dot and ends in `.tmp`, so neither a listing of `*.eml` nor `ls` shows
 * it; one left by a killed process can be deleted. (Not flushed to the disk: a power cut may
 * still lose the message, which a development mailer can afford.)
 */
async function writeWhole(directory: string, name: string, content: Buffer): Promise<void> {
  const temporary = join(directory, `.${name}.tmp`);
  try {
    // `wx`: should two sends of one message ever pick the same name at the same moment
    // (the same id in the same millisecond), the second fails instead of writing into the
    // first one's half-written file. (One renamed in place later replaces a whole file with
    // a whole file of the same message.)
    await writeFile(temporary, content, { flag: 'wx' });
    await rename(temporary, join(directory, name));
  } catch (error) {
    // The other send's file is not this one's to delete.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(temporary, { force: true });
    throw error;
  }
}
