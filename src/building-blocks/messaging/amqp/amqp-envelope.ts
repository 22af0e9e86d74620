import type { Message, Options } from 'amqplib';
import { z } from 'zod';
import type { OutboxMessage } from '../outbox-message.ts';

/**
 * How an outbox message travels as an AMQP message: the payload as the JSON body; id and
 * type in the standard properties; version, context, occurred-at and attempts in `taskflow-`
 * headers; the outbox message's own headers (trace context) as AMQP headers, unchanged.
 * Reading one back gives an identical `OutboxMessage`.
 */
const META = {
  context: 'taskflow-context',
  version: 'taskflow-version',
  occurredAt: 'taskflow-occurred-at',
  attempts: 'taskflow-attempts',
} as const;

/** Headers the broker adds (dead-lettering, quorum-queue redelivery): not the message's. */
const BROKER_HEADER = /^x-(death|delivery-count|first-death-|last-death-)/;

export function toAmqp(message: OutboxMessage): { content: Buffer; options: Options.Publish } {
  return {
    content: Buffer.from(JSON.stringify(message.payload)),
    options: {
      persistent: true,
      contentType: 'application/json',
      messageId: message.id,
      type: message.type,
      timestamp: Math.floor(message.occurredAt.getTime() / 1000),
      headers: {
        ...message.headers,
        [META.context]: message.context,
        [META.version]: message.version,
        [META.occurredAt]: message.occurredAt.toISOString(),
        [META.attempts]: message.attempts,
      },
    },
  };
}

/** A delivery that is not one of our messages, or is damaged: it cannot be handled at all. */
export class UnreadableMessage extends Error {
  override readonly name = 'UnreadableMessage';
}

const Envelope = z.object({
  messageId: z.uuid(),
  type: z.string().min(1),
  headers: z.looseObject({
    [META.context]: z.string().min(1),
    [META.version]: z.number().int().min(1),
    [META.occurredAt]: z.iso.datetime(),
    [META.attempts]: z.number().int().min(0),
  }),
});

/**
 * Far more than any message of this service (an id, an email, a name): a larger body is not
 * one of ours, and is refused before it is parsed (a 120 MB body of nested brackets would
 * take the process's heap with it).
 */
export const MAX_BODY_BYTES = 64 * 1024;

export function fromAmqp(delivery: Pick<Message, 'content' | 'properties'>): OutboxMessage {
  const parsed = Envelope.safeParse(delivery.properties);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new UnreadableMessage(`not a Taskflow message: ${problems.join('; ')}`);
  }
  const { messageId, type, headers } = parsed.data;
  if (delivery.content.length > MAX_BODY_BYTES) {
    throw new UnreadableMessage(
      `the body of ${type} ${messageId} is ${delivery.content.length} bytes, more than the ${MAX_BODY_BYTES} a message may have`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.content.toString('utf8'));
  } catch (error) {
    throw new UnreadableMessage(`the body of ${type} ${messageId} is not JSON: ${error}`);
  }
  const own = Object.entries(headers).filter(
    ([key, value]) =>
      typeof value === 'string' &&
      !BROKER_HEADER.test(key) &&
      !(Object.values(META) as string[]).includes(key),
  );
  return {
    id: messageId,
    context: headers[META.context],
    type,
    version: headers[META.version],
    payload,
    headers: Object.fromEntries(own) as Record<string, string>,
    occurredAt: new Date(headers[META.occurredAt]),
    attempts: headers[META.attempts],
  };
}
