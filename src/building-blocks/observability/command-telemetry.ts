import { SpanKind, type Tracer } from '@opentelemetry/api';
import {
  type CommandInstrumentation,
  type RetryObserver,
  uninstrumented,
} from '../application/command-instrumentation.ts';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import { DomainError } from '../domain/domain-error.ts';
import type { Metrics } from './metrics.ts';
import { inSpan } from './spans.ts';

/**
 * What the bus reports of each command: a span named after it (`projects.CreateTask`) with
 * an event per retry, and its duration and outcome in `taskflow_command_duration_seconds`.
 * With neither tracing nor metrics, commands run unwatched.
 */
export function commandTelemetry(
  tracer: Tracer | undefined,
  metrics: Metrics | undefined,
): CommandInstrumentation {
  if (!tracer && !metrics) return uninstrumented;
  const measures = metrics && commandMeasures(metrics);
  return {
    async run(command, execute) {
      const started = performance.now();
      const retrying = measures?.retryObserver(command) ?? ignoreRetries;
      let outcome = 'ok';
      try {
        if (!tracer) return await execute(retrying);
        return await inSpan(
          tracer,
          command,
          { kind: SpanKind.INTERNAL, attributes: { 'taskflow.command': command } },
          (span) =>
            execute((reason) => {
              span.addEvent('retry', { 'taskflow.retry.reason': reason });
              retrying(reason);
            }),
        );
      } catch (error) {
        outcome = outcomeOf(error);
        throw error;
      } finally {
        measures?.observe(command, outcome, (performance.now() - started) / 1000);
      }
    },
  };
}

const ignoreRetries: RetryObserver = () => {};

/**
 * The command metrics, with each command's retry counter and label sets made once: a command
 * costs one observation, not new objects for it.
 */
function commandMeasures(metrics: Metrics) {
  const retryObservers = new Map<string, RetryObserver>();
  const observers = new Map<string, (seconds: number) => void>();
  return {
    retryObserver(command: string): RetryObserver {
      let observer = retryObservers.get(command);
      if (!observer) {
        observer = (reason) => metrics.commandRetries.inc({ command, reason });
        retryObservers.set(command, observer);
      }
      return observer;
    },
    observe(command: string, outcome: string, seconds: number): void {
      const key = `${command} ${outcome}`;
      let observer = observers.get(key);
      if (!observer) {
        observer = metrics.commands.series({ command, outcome });
        observers.set(key, observer);
      }
      observer(seconds);
    },
  };
}

/** A bounded label: the kind of a domain error (`conflict`, `invalid`, ...) or what else failed. */
function outcomeOf(error: unknown): string {
  if (error instanceof DomainError) return error.kind;
  if (error instanceof DatabaseUnavailable) return 'unavailable';
  return 'error';
}
