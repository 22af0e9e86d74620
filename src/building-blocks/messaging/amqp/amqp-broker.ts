import {
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  connect,
  type Options,
  type RecoveringChannelModel,
} from 'amqplib';
import { redact } from '../../infrastructure/redact-url.ts';
import { type MessageTransport, TransportUnavailable } from '../message-transport.ts';
import type { MessagingLogger } from '../messaging-logger.ts';
import type { OutboxMessage } from '../outbox-message.ts';
import { toAmqp } from './amqp-envelope.ts';
import type { AmqpTopology } from './amqp-topology.ts';

/** What a consuming process does with each delivery of a context's queue. */
export type DeliveryHandler = (
  channel: ConfirmChannel,
  delivery: ConsumeMessage,
  context: string,
) => Promise<void>;

export interface Consuming {
  contexts: readonly string[];
  /** Deliveries a queue's consumer holds unacknowledged at once (they run side by side). */
  prefetch: number;
  handle: DeliveryHandler;
}

/**
 * How long a publish waits for the broker's confirm. A broker that stopped answering without
 * closing the connection (a network partition) held every command that published after its
 * commit until RabbitMQ's own heartbeat gave up (~3 minutes): now the message stays in the
 * outbox for the relay, and the connection is made again.
 */
const CONFIRM_TIMEOUT_MS = 5_000;
/** Heartbeats (unless `BROKER_URL` sets `heartbeat`): a silent connection is dropped within ~20 s. */
const HEARTBEAT_SECONDS = 10;
/** How long opening a connection (TCP and the AMQP handshake) may take before it is tried again. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * While the broker stays away, the outage is logged again this often, with the attempts so
 * far (as Redis's is): recovery tries every 10 s at most, and a line per attempt filled the
 * log for as long as the outage lasted.
 */
const OUTAGE_REMINDER_MS = 5 * 60_000;

/** Since the connection was lost (or the first one failed), until one is made. */
interface Outage {
  since: number;
  /** Connection attempts that failed so far. */
  attempts: number;
  /** When the outage was last logged. */
  toldAt: number;
  /** The causes logged so far: a new one (the login refused after a reconnection) is told at once. */
  causes: Set<string>;
}

/**
 * One process's connection to RabbitMQ, kept up: amqplib's recovery reconnects with back-off
 * after the broker went away, and every (re)connection declares the topology, opens the
 * publishing channel (publisher confirms) and, in a worker, consumes the contexts' queues
 * again. While it is down, `send` fails at once with `TransportUnavailable` (the relay counts
 * no attempt) and `ready` rejects (`/health/ready` answers 503). An outage is logged when it
 * begins and when it ends, and in between only every `OUTAGE_REMINDER_MS`.
 */
export class AmqpBroker implements MessageTransport {
  readonly #url: string;
  readonly #topology: AmqpTopology;
  readonly #log: MessagingLogger;
  #connection: RecoveringChannelModel | undefined;
  /** The connection of this (re)connection, and its publishing channel. */
  #model: ChannelModel | undefined;
  #publisher: ConfirmChannel | undefined;
  #consuming: Consuming | undefined;
  #subscriptions: { channel: ConfirmChannel; tags: string[] } | undefined;
  readonly #handling = new Set<Promise<void>>();
  #closing = false;
  #connectedOnce = false;
  #outage: Outage | undefined;

  constructor(url: string, topology: AmqpTopology, log: MessagingLogger) {
    this.#url = url;
    this.#topology = topology;
    this.#log = log;
  }

  /** Starts connecting (and consuming, if asked) in the background; returns at once. */
  async open(consuming?: Consuming): Promise<void> {
    this.#consuming = consuming;
    const broker = redact(this.#url);
    const connection = await connect(withHeartbeat(this.#url), {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: { connection_name: `taskflow ${process.pid}` },
      recovery: {
        waitForConnect: false,
        initialDelay: 500,
        maxDelay: 10_000,
        setup: (model: ChannelModel) => this.#setUp(model),
      },
    });
    connection.on('connect', () => this.#connected(broker, consuming?.contexts ?? []));
    connection.on('disconnect', (error: Error) => {
      this.#publisher = undefined;
      this.#subscriptions = undefined;
      this.#outageBegins(
        broker,
        error,
        'message broker connection lost; reconnecting quietly until it is back',
      );
    });
    connection.on('connect-failed', (error: Error) => {
      // A process that has not connected yet meets the outage at its first attempt.
      if (!this.#outage) {
        this.#outageBegins(
          broker,
          error,
          'message broker not connected; retrying quietly until it is',
        );
      }
      this.#attemptFailed(broker, error);
    });
    connection.on('error', () => {}); // each is followed by a 'disconnect', logged there
    this.#connection = connection;
  }

  async ready(): Promise<void> {
    if (!this.#publisher) throw new Error('The message broker is not connected.');
  }

  /**
   * Publishes to the events exchange; resolves once the broker confirmed the message. No
   * confirm within `CONFIRM_TIMEOUT_MS`: `TransportUnavailable`, and the connection is given
   * up and made again (meanwhile every send fails at once).
   */
  send(message: OutboxMessage): Promise<void> {
    const publisher = this.#publisher;
    const model = this.#model;
    if (!publisher) {
      return Promise.reject(new TransportUnavailable('the message broker is not connected'));
    }
    const { content, options } = toAmqp(message);
    const confirmed = publishConfirmed(
      publisher,
      this.#topology.exchange,
      message.type,
      content,
      options,
    );
    return withinDeadline(confirmed, () => {
      if (this.#publisher !== publisher) return;
      this.#publisher = undefined;
      this.#log.warn(
        { broker: redact(this.#url), timeoutMs: CONFIRM_TIMEOUT_MS },
        'the message broker did not confirm a message in time; reconnecting',
      );
      model?.close().catch(() => {});
    });
  }

  /** SIGTERM: no new deliveries; the ones under way finish (and are acknowledged). */
  async stopConsuming(): Promise<void> {
    this.#consuming = undefined;
    const subscriptions = this.#subscriptions;
    this.#subscriptions = undefined;
    if (subscriptions) {
      await Promise.allSettled(subscriptions.tags.map((tag) => subscriptions.channel.cancel(tag)));
    }
    await Promise.allSettled([...this.#handling]);
  }

  async close(): Promise<void> {
    this.#closing = true;
    await this.stopConsuming();
    this.#publisher = undefined;
    await this.#connection?.close();
  }

  /**
   * Logs a connection made: the first one, or one that ends an outage, with how long the
   * broker was away and how many attempts it took (the one that succeeded included).
   */
  #connected(broker: string, consuming: readonly string[]): void {
    const outage = this.#outage;
    this.#outage = undefined;
    const waited = outage && {
      attempts: outage.attempts + 1,
      downSeconds: Math.round((Date.now() - outage.since) / 1000),
    };
    // The first connection keeps its line, even after failed attempts: it is what a
    // supervisor (and the tests) wait for to know a worker consumes.
    const line = this.#connectedOnce
      ? 'message broker connected again'
      : 'message broker connected';
    this.#connectedOnce = true;
    this.#log.info({ broker, consuming, ...waited }, line);
  }

  /** The one warning of an outage, with its cause: the attempts that follow are quiet. */
  #outageBegins(broker: string, error: Error, line: string): void {
    const now = Date.now();
    this.#outage = { since: now, attempts: 0, toldAt: now, causes: new Set([error.message]) };
    this.#log.warn({ broker, cause: error.message }, line);
  }

  /**
   * A reconnection attempt of amqplib's recovery failed: counted, and logged when its cause is
   * one this outage has not told yet (the broker back but refusing the login, or the
   * topology), else only as a reminder every `OUTAGE_REMINDER_MS`, with the attempts so far.
   */
  #attemptFailed(broker: string, error: Error): void {
    const outage = this.#outage;
    if (!outage) return;
    outage.attempts++;
    const now = Date.now();
    const newCause = !outage.causes.has(error.message);
    if (!newCause && now - outage.toldAt < OUTAGE_REMINDER_MS) return;
    outage.toldAt = now;
    outage.causes.add(error.message);
    this.#log.warn(
      {
        broker,
        cause: error.message,
        attempts: outage.attempts,
        downSeconds: Math.round((now - outage.since) / 1000),
      },
      'message broker still not connected; retrying quietly',
    );
  }

  /** After each (re)connection; a failure closes the connection and recovery tries again. */
  async #setUp(model: ChannelModel): Promise<void> {
    const publisher = await this.#channel(model);
    await this.#topology.declare(publisher);
    const consuming = this.#consuming;
    if (consuming) {
      const channel = await this.#channel(model);
      await channel.prefetch(consuming.prefetch);
      const tags: string[] = [];
      for (const context of consuming.contexts) {
        const { consumerTag } = await channel.consume(
          this.#topology.queueOf(context),
          (delivery) => {
            if (delivery) this.#track(consuming.handle(channel, delivery, context));
          },
        );
        tags.push(consumerTag);
      }
      this.#subscriptions = { channel, tags };
    }
    this.#model = model;
    this.#publisher = publisher;
  }

  /**
   * A confirm channel whose unexpected end (a channel error with the connection still up)
   * ends the connection, so recovery sets everything up again.
   */
  async #channel(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) =>
      this.#log.warn({ cause: error.message }, 'message broker channel failed'),
    );
    channel.on('close', () => {
      if (!this.#closing) model.close().catch(() => {});
    });
    return channel;
  }

  #track(handling: Promise<void>): void {
    this.#handling.add(handling);
    void handling.finally(() => this.#handling.delete(handling));
  }
}

/** `confirm`, or `TransportUnavailable` after `CONFIRM_TIMEOUT_MS` (`late` runs then). */
function withinDeadline(confirm: Promise<void>, late: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late();
      reject(new TransportUnavailable('the message broker did not confirm the message in time'));
    }, CONFIRM_TIMEOUT_MS);
  });
  return Promise.race([confirm, deadline]).finally(() => clearTimeout(timer));
}

/** The broker URL with a heartbeat, unless it names one itself. */
function withHeartbeat(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) {
    parsed.searchParams.set('heartbeat', String(HEARTBEAT_SECONDS));
  }
  return parsed.toString();
}

/** `publish` on a confirm channel, as a promise of the broker's confirm. */
export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    try {
      channel.publish(exchange, routingKey, content, options, (error: unknown) => {
        if (!error) resolve();
        else if (error instanceof Error && /closed/i.test(error.message)) {
          reject(new TransportUnavailable(`the message broker went away: ${error.message}`));
        } else reject(new Error(`the message broker refused ${routingKey}: ${String(error)}`));
      });
    } catch (error) {
      // The channel closed between the check and the publish.
      reject(new TransportUnavailable(`the message broker went away: ${String(error)}`));
    }
  });
}
