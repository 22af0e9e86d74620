/** Why the bus runs a command again: both leave the failed attempt without effect. */
export type RetryReason = 'concurrency-conflict' | 'connection-lost';

/** Told before each retry of the command under way. */
export type RetryObserver = (reason: RetryReason) => void;

/**
 * Whoever watches commands run (traces and metrics, in building-blocks/observability): the
 * bus hands each command's execution, every attempt of it, to `run`, and reports its retries.
 * The bus itself knows no tracing or metrics library.
 */
export interface CommandInstrumentation {
  run<R>(command: string, execute: (retrying: RetryObserver) => Promise<R>): Promise<R>;
}

const ignoreRetry: RetryObserver = () => {};

/** Nothing watched: the command runs as it is. */
export const uninstrumented: CommandInstrumentation = {
  run: (_command, execute) => execute(ignoreRetry),
};
