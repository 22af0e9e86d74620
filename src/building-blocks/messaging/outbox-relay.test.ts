import { describe, expect, test } from 'vitest';
import { type MessageTransport, TransportUnavailable } from './message-transport.ts';
import type { OutboxMessage } from './outbox-message.ts';
import { OutboxRelay } from './outbox-relay.ts';
import type { SqlOutbox } from './sql-outbox.ts';
import { anOutboxMessage } from './testing/outbox-message.ts';

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

function recordingLog() {
  const lines: { level: string; message: string }[] = [];
  const log = {
    info: (_: object, message: string) => void lines.push({ level: 'info', message }),
    warn: (_: object, message: string) => void lines.push({ level: 'warn', message }),
    error: (_: object, message: string) => void lines.push({ level: 'error', message }),
  };
  return { lines, log };
}

const options = {
  retry: { maxAttempts: 3, firstDelayMs: 0, maxDelayMs: 0 },
  pollIntervalMs: 1_000,
  leaseMs: 30_000,
  retentionMs: 60_000,
};

function message(n: number): OutboxMessage {
  return anOutboxMessage({
    id: `01900000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    context: 'projects',
    type: 'projects.ProjectCreated',
  });
}

describe('OutboxRelay', () => {
  test('a database that refuses is said once per outage, not at every poll, and its end too', async () => {
    const { state, outbox: failing } = outbox();
    const { lines, log } = recordingLog();
    const relay = new OutboxRelay([failing], transport, log, options);

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

  test('a transport that is away is said once per outage, not for each message it turned away; the messages stay in the outbox', async () => {
    const released: string[] = [];
    const processed: string[] = [];
    const outbox = {
      context: 'projects',
      release: async (ids: string[]) => void released.push(...ids),
      markProcessed: async (messages: OutboxMessage[]) =>
        void processed.push(...messages.map((m) => m.id)),
    } as unknown as SqlOutbox;
    const broker = { up: false };
    const transport: MessageTransport = {
      send: async () => {
        if (!broker.up) throw new TransportUnavailable('the message broker is not connected');
      },
      ready: async () => {},
    };
    const { lines, log } = recordingLog();
    const relay = new OutboxRelay([outbox], transport, log, options);

    // Ten registrations while the broker is down, each dispatching its message after COMMIT.
    for (let n = 1; n <= 10; n++) await relay.dispatch([message(n)]);
    broker.up = true;
    await relay.dispatch([message(11)]);
    broker.up = false;
    await relay.dispatch([message(12)]);
    await relay.dispatch([message(13)]);
    await relay.stop();

    expect(lines.map(({ level, message }) => `${level}: ${message.split(';')[0]}`)).toEqual([
      'warn: outbox relay: the transport is unavailable',
      'warn: outbox relay: the transport is unavailable',
    ]);
    expect(released).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13].map((n) => message(n).id));
    expect(processed).toEqual([message(11).id]);
  });
});
