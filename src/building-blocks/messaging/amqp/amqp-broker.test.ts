import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { AmqpBroker } from './amqp-broker.ts';
import type { AmqpTopology } from './amqp-topology.ts';

// amqplib's recovering connection, reduced to the events the broker listens to: each test
// plays an outage by emitting them as amqplib's recovery would.
const amqp = vi.hoisted(() => ({ connection: undefined as EventEmitter | undefined }));
vi.mock('amqplib', () => ({
  connect: async () => {
    const connection = new EventEmitter();
    amqp.connection = connection;
    return Object.assign(connection, { close: async () => {} });
  },
}));

const URL = 'amqp://guest:secret@127.0.0.1:5672';

async function openBroker() {
  const lines: { level: string; message: string; details: Record<string, unknown> }[] = [];
  const line = (level: string) => (details: object, message: string) =>
    void lines.push({ level, message, details: details as Record<string, unknown> });
  const log = { info: line('info'), warn: line('warn'), error: line('error') };
  const broker = new AmqpBroker(URL, {} as AmqpTopology, log);
  await broker.open();
  const connection = amqp.connection as EventEmitter;
  /** A reconnection attempt every 10 s (recovery's longest back-off), each refused. */
  const failFor = (ms: number) => {
    for (let waited = 0; waited < ms; waited += 10_000) {
      vi.advanceTimersByTime(10_000);
      connection.emit('connect-failed', new Error('connect ECONNREFUSED 127.0.0.1:5672'));
    }
  };
  return { lines, connection, failFor };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the message broker connection in an outage', () => {
  test('is logged when lost, every 5 minutes while away (not at each attempt), and when back', async () => {
    const { lines, connection, failFor } = await openBroker();
    connection.emit('connect');

    connection.emit(
      'disconnect',
      new Error('CONNECTION_FORCED - broker forced connection closure'),
    );
    failFor(11 * 60_000); // 66 attempts
    connection.emit('connect');

    expect(lines.map(({ level, message }) => `${level}: ${message}`)).toEqual([
      'info: message broker connected',
      'warn: message broker connection lost; reconnecting quietly until it is back',
      'warn: message broker still not connected; retrying quietly',
      'warn: message broker still not connected; retrying quietly',
      'warn: message broker still not connected; retrying quietly',
      'info: message broker connected again',
    ]);
    expect(lines[1]?.details).toMatchObject({
      broker: 'amqp://guest:***@127.0.0.1:5672',
      cause: 'CONNECTION_FORCED - broker forced connection closure',
    });
    // The first refused attempt tells its cause (not the disconnect's); then a reminder every
    // 5 minutes of the same cause.
    expect(lines[2]?.details).toMatchObject({
      cause: 'connect ECONNREFUSED 127.0.0.1:5672',
      attempts: 1,
      downSeconds: 10,
    });
    expect(lines[3]?.details).toMatchObject({ attempts: 31, downSeconds: 310 });
    expect(lines[5]?.details).toMatchObject({ attempts: 67, downSeconds: 660 });
  });

  test('a broker unreachable at start is logged once, and the first connection as usual', async () => {
    const { lines, connection, failFor } = await openBroker();

    connection.emit('connect-failed', new Error('connect ECONNREFUSED 127.0.0.1:5672'));
    failFor(60_000);
    connection.emit('connect');

    expect(lines.map(({ level, message }) => `${level}: ${message}`)).toEqual([
      'warn: message broker not connected; retrying quietly until it is',
      'info: message broker connected',
    ]);
    expect(lines[0]?.details).toMatchObject({ cause: 'connect ECONNREFUSED 127.0.0.1:5672' });
    expect(lines[1]?.details).toMatchObject({ attempts: 8, downSeconds: 60 });
  });

  test('each outage is logged on its own', async () => {
    const { lines, connection, failFor } = await openBroker();
    connection.emit('connect');

    for (let outage = 0; outage < 2; outage++) {
      connection.emit('disconnect', new Error('Heartbeat timeout'));
      failFor(30_000);
      connection.emit('connect');
    }

    expect(lines.map(({ message }) => message)).toEqual([
      'message broker connected',
      'message broker connection lost; reconnecting quietly until it is back',
      'message broker still not connected; retrying quietly',
      'message broker connected again',
      'message broker connection lost; reconnecting quietly until it is back',
      'message broker still not connected; retrying quietly',
      'message broker connected again',
    ]);
    expect(lines[6]?.details).toMatchObject({ attempts: 4, downSeconds: 30 });
  });

  test('a cause the outage has not told yet is told at once, each only once', async () => {
    const { lines, connection } = await openBroker();
    connection.emit('connect');
    const attempt = (cause: string) => {
      vi.advanceTimersByTime(10_000);
      connection.emit('connect-failed', new Error(cause));
    };

    connection.emit('disconnect', new Error('CONNECTION_FORCED'));
    for (const cause of ['ECONNREFUSED', 'ECONNREFUSED', 'ACCESS_REFUSED', 'ECONNREFUSED']) {
      attempt(cause);
    }
    attempt('ACCESS_REFUSED');

    expect(lines.map(({ details }) => details.cause)).toEqual([
      undefined,
      'CONNECTION_FORCED',
      'ECONNREFUSED',
      'ACCESS_REFUSED',
    ]);
  });
});
