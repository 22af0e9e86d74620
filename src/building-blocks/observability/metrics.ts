import { Counter, Gauge, Registry } from 'prom-client';
import type { OutboxStats } from '../messaging/sql-outbox.ts';
import { BoundHistogram } from './bound-histogram.ts';
import { registerProcessMetrics } from './process-metrics.ts';

/** Sub-millisecond reads to multi-second stalls: this service answers most requests in < 1 ms. */
const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The service's Prometheus metrics, in a registry of its own (never prom-client's global
 * one, so two apps in one test process do not share counters). What happens often (a request,
 * a command) costs one observation; what a scrape can read itself (outbox backlog, queue
 * length, process) is read only when `/metrics` is scraped.
 */
export class Metrics {
  readonly registry = new Registry();

  /**
   * One observation per request; `route` is the route's template, never the raw URL. Callers
   * keep the observer of each label set (`series`): see BoundHistogram.
   */
  readonly httpRequests = new BoundHistogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly commands = new BoundHistogram({
    name: 'taskflow_command_duration_seconds',
    help: 'Commands run through the bus, with every retry, by name and outcome (ok, or the kind of error).',
    labelNames: ['command', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly commandRetries = new Counter({
    name: 'taskflow_command_retries_total',
    help: 'Commands run again by the bus: after a concurrency conflict, or a connection lost before COMMIT.',
    labelNames: ['command', 'reason'] as const,
    registers: [this.registry],
  });

  readonly handlerFailures = new Counter({
    name: 'taskflow_message_handler_failures_total',
    help: 'Message handlers that failed a delivery (retried later, or dead-lettered).',
    labelNames: ['handler', 'type'] as const,
    registers: [this.registry],
  });

  constructor() {
    registerProcessMetrics(this.registry);
  }

  /**
   * The outboxes' backlog, oldest pending message and dead letters, read at each scrape.
   * `deadlineMs`: how long a scrape waits for them.
   */
  watchOutboxes(
    stats: () => Promise<OutboxStats[]>,
    { deadlineMs = OUTBOX_READING_DEADLINE_MS } = {},
  ): void {
    // prom-client collects every metric at once: the three gauges share one reading, and a
    // database that fails or does not answer in time leaves them empty while the rest is
    // still served (a scrape waiting for the read timeout would outlast Prometheus's own).
    let reading: Promise<OutboxStats[]> | undefined;
    const read = () => {
      reading ??= Promise.race([stats().catch(() => []), nothingAfter(deadlineMs)]).finally(() => {
        reading = undefined;
      });
      return reading;
    };
    const gauge = (name: string, help: string, value: (outbox: OutboxStats) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['context'] as const,
        registers: [this.registry],
        async collect() {
          const outboxes = await read();
          this.reset();
          for (const outbox of outboxes) this.set({ context: outbox.context }, value(outbox));
        },
      });
    gauge(
      'taskflow_outbox_pending_messages',
      'Messages in the outbox not yet delivered (dead letters excluded).',
      (outbox) => outbox.pending,
    );
    gauge(
      'taskflow_outbox_oldest_pending_age_seconds',
      'Age of the oldest message not yet delivered: how far behind the handlers are.',
      (outbox) => outbox.oldestPendingSeconds,
    );
    gauge(
      'taskflow_outbox_dead_letters',
      'Messages parked after failing every attempt (see `npm run messages -- dead-letters`).',
      (outbox) => outbox.dead,
    );
  }

  /** Password hashes waiting for a free CPU, read at each scrape. */
  watchPasswordHashQueue(length: () => number): void {
    new Gauge({
      name: 'taskflow_password_hash_queue_length',
      help: 'Password hashes (registration, login) waiting for one of the hashing slots (one per CPU).',
      registers: [this.registry],
      collect() {
        this.set(length());
      },
    });
  }
}

/** How long a scrape waits for the outboxes' figures: well within Prometheus's 10 s timeout. */
const OUTBOX_READING_DEADLINE_MS = 2_000;

function nothingAfter(ms: number): Promise<OutboxStats[]> {
  return new Promise((resolve) => setTimeout(resolve, ms, []).unref());
}
