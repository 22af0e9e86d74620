import { describe, expect, test } from 'vitest';
import type { MessageTransport } from './message-transport.ts';
import { OutboxRelay } from './outbox-relay.ts';
import type { SqlOutbox } from './sql-outbox.ts';

/** An outbox whose database refuses while `down` is set, and has nothing due otherwise. */
function outbox() {
  const state = { down: false };
  const fake = {
    context: 'projects',
    claim: async () => {
      if (state.down) throw new Error('the database is down');
      return [];
    },
    purge: async () => 0,
    stats: async () => ({ context: 'projects', pending: 0, oldestPendingSeconds: 0, dead: 0 }),
  };
  return { state, outbox: fake as unknown as SqlOutbox };
}

const transport: MessageTransport = { send: async () => {}, ready: async () => {} };

describe('OutboxRelay', () => {
  test('a database that refuses is said once per outage, not at every poll, and its end too', async () => {
    const { state, outbox: failing } = outbox();
    const lines: { level: string; message: string }[] = [];
    const log = {
      info: (_: object, message: string) => void lines.push({ level: 'info', message }),
      warn: (_: object, message: string) => void lines.push({ level: 'warn', message }),
      error: (_: object, message: string) => void lines.push({ level: 'error', message }),
    };
    const relay = new OutboxRelay([failing], transport, log, {
      retry: { maxAttempts: 3, firstDelayMs: 0, maxDelayMs: 0 },
      pollIntervalMs: 1_000,
      leaseMs: 30_000,
      retentionMs: 60_000,
    });

    state.down = true;
    for (let poll = 0; poll < 5; poll++) await relay.pollOnce();
    state.down = false;
    await relay.pollOnce();
    await relay.pollOnce();
    state.down = true;
    await relay.pollOnce();

    expect(lines.map(({ level, message }) => `${level}: ${message.split(';')[0]}`)).toEqual([
      'warn: outbox relay: poll failed',
      'info: outbox relay: polling again',
      'warn: outbox relay: poll failed',
    ]);
  });
});
