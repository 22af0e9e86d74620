import type { OutboxMessage } from '../outbox-message.ts';

/** A well-formed outbox message for a test, with `changes` to the fields the test is about. */
export function anOutboxMessage(changes: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: '01900000-0000-7000-8000-000000000001',
    context: 'accounts',
    type: 'accounts.UserAccountCreated',
    version: 1,
    payload: {},
    headers: {},
    occurredAt: new Date('2026-01-02T03:04:05.678Z'),
    attempts: 0,
    ...changes,
  };
}
