import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { expect, test } from 'vitest';
import { SmtpMailer } from './smtp-mailer.ts';

// A server that takes the connection and then says nothing: the send fails once the greeting
// is overdue (a failure the relay retries later), instead of holding the message, and the
// relay's poll behind it, for as long as nodemailer's defaults would (minutes).
test('an SMTP server that never greets fails the send within the greeting timeout', async () => {
  const held: Socket[] = [];
  const silent = createServer((socket) => void held.push(socket));
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  const { port } = silent.address() as AddressInfo;
  const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, 'taskflow@example.com', {
    connectionTimeout: 1_000,
    greetingTimeout: 200,
    socketTimeout: 1_000,
  });
  try {
    await expect(
      mailer.send({ to: 'ann@example.com', subject: 'Welcome', text: 'Hello' }),
    ).rejects.toThrow(/greeting/i);
  } finally {
    mailer.close();
    for (const socket of held) socket.destroy();
    silent.close();
  }
});
