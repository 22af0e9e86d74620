import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { FileMailer } from './file-mailer.ts';

// Whoever reads the mail directory (a developer's mail client, a test waiting for a welcome
// email) takes every `.eml` file in it for a whole message. A file written in place is one
// long before it is whole, and stays a partial one when the process is killed meanwhile.

let directory: string;
const log = { info: () => {}, warn: () => {} };

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'taskflow-mail-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** The `.eml` files in the directory now (none while it does not exist yet). */
async function messagesIn(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => []);
  return names.filter((name) => name.endsWith('.eml'));
}

test('an .eml file is in the directory only once it is whole, and nothing else is left', async () => {
  const mailer = new FileMailer(join(directory, 'mail'), 'taskflow@example.com', log);
  // Several megabytes: Node.js writes a file 512 KiB at a time, so the directory is looked at
  // many times while the message is being written.
  const text = 'All work and no play makes a long email.\n'.repeat(200_000);
  let written = false;
  const sending = mailer
    .send({ to: 'ann@example.com', subject: 'Long', text, messageId: 'long-1' })
    .finally(() => {
      written = true;
    });

  const sizesSeen: number[] = [];
  while (!written) {
    for (const name of await messagesIn(join(directory, 'mail'))) {
      const size = await stat(join(directory, 'mail', name)).then((s) => s.size);
      sizesSeen.push(size);
    }
  }
  await sending;

  const names = await readdir(join(directory, 'mail'));
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/-long-1\.eml$/);
  const message = await readFile(join(directory, 'mail', names[0] as string), 'utf8');
  expect(message).toContain('Subject: Long');
  const whole = Buffer.byteLength(message);
  expect(sizesSeen.filter((size) => size !== whole)).toEqual([]);
});
