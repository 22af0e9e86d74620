import { describe, expect, test } from 'vitest';
import { anOutboxMessage } from '../testing/outbox-message.ts';
import { fromAmqp, MAX_BODY_BYTES, toAmqp, UnreadableMessage } from './amqp-envelope.ts';

const message = anOutboxMessage({
  version: 2,
  payload: { userId: 'u-1', email: 'ada@example.com' },
  headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
  attempts: 3,
});

/** What a consumer receives: the published body and properties. */
const delivered = (content: Buffer, properties: object) => ({
  content,
  properties: properties as never,
});

describe('the AMQP envelope', () => {
  test('rebuilds an identical outbox message, headers unchanged', () => {
    const { content, options } = toAmqp(message);

    expect(fromAmqp(delivered(content, options))).toEqual(message);
  });

  test('drops the headers the broker adds on a redelivery or a dead letter', () => {
    const { content, options } = toAmqp(message);
    const headers = { ...options.headers, 'x-delivery-count': 2, 'x-first-death-reason': 'x' };

    expect(fromAmqp(delivered(content, { ...options, headers })).headers).toEqual(message.headers);
  });

  test.each([
    ['no message id', { messageId: undefined }, /messageId/],
    ['no version', { headers: { 'taskflow-context': 'accounts' } }, /taskflow-version/],
  ])('refuses a delivery with %s', (_, change, reason) => {
    const { content, options } = toAmqp(message);

    expect(() => fromAmqp(delivered(content, { ...options, ...change }))).toThrow(reason);
  });

  test('refuses a body that is not JSON, naming the message', () => {
    const { options } = toAmqp(message);

    expect(() => fromAmqp(delivered(Buffer.from('{not json'), options))).toThrow(UnreadableMessage);
    expect(() => fromAmqp(delivered(Buffer.from('{not json'), options))).toThrow(message.id);
  });

  test('refuses a body larger than any message of the service before parsing it', () => {
    const { options } = toAmqp(message);
    const huge = Buffer.from(`${'['.repeat(MAX_BODY_BYTES)}${']'.repeat(MAX_BODY_BYTES)}`);

    expect(() => fromAmqp(delivered(huge, options))).toThrow(UnreadableMessage);
    expect(() => fromAmqp(delivered(huge, options))).toThrow(/more than the 65536 a message/);
  });
});
