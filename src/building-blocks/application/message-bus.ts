import {
  type CommandInstrumentation,
  type RetryObserver,
  uninstrumented,
} from './command-instrumentation.ts';
import { ConcurrencyConflict } from './concurrency-conflict.ts';
import { DatabaseUnavailable } from './database-unavailable.ts';

/**
 * The runtime handle of a command type. `Command` is the payload, `Result` what its one
 * handler returns; both exist only for the type checker, so `execute` is fully typed.
 */
export interface CommandType<Command, Result> {
  readonly name: string;
  /** Phantom field: never set, it only carries the types. */
  readonly __types?: (command: Command) => Result;
}

export function commandType<Command, Result = void>(name: string): CommandType<Command, Result> {
  return { name };
}

export type CommandHandler<Command, Result> = (command: Command) => Promise<Result>;

export interface MessageBusOptions {
  /** How often a command that lost an optimistic-concurrency race is tried again. */
  maxRetries?: number;
  /**
   * How often a command whose connection was lost before it could commit is tried again (on
   * another connection). Few: when the database is really down, the client should hear so soon.
   */
  maxUnavailableRetries?: number;
  /** Waits before a retry; tests pass one that does not sleep. */
  backOff?: (attempt: number) => Promise<void>;
  /** Traces and measures each command (building-blocks/observability); none by default. */
  instrumentation?: CommandInstrumentation;
}

type AnyCommandHandler = CommandHandler<never, unknown>;

const jitteredBackOff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));

/**
 * Commands go to exactly one handler and return its result. Modules register their handlers
 * explicitly: nothing is discovered. (Events do not travel here: they are stored in their
 * context's outbox and delivered by the messaging building block, ADR 15.)
 */
export class MessageBus {
  readonly #commandHandlers = new Map<string, AnyCommandHandler>();
  readonly #maxRetries: number;
  readonly #maxUnavailableRetries: number;
  readonly #backOff: (attempt: number) => Promise<void>;
  readonly #instrumentation: CommandInstrumentation;

  constructor(options: MessageBusOptions = {}) {
    this.#maxRetries = options.maxRetries ?? 10;
    this.#maxUnavailableRetries = options.maxUnavailableRetries ?? 2;
    this.#backOff = options.backOff ?? jitteredBackOff;
    this.#instrumentation = options.instrumentation ?? uninstrumented;
  }

  handle<C, R>(type: CommandType<C, R>, handler: CommandHandler<C, R>): void {
    if (this.#commandHandlers.has(type.name)) {
      throw new Error(`A handler for command ${type.name} is already registered.`);
    }
    this.#commandHandlers.set(type.name, handler as AnyCommandHandler);
  }

  /**
   * Runs the command's handler, trying again when it lost a concurrency race or its
   * connection was lost before it could commit: in both cases the failed attempt changed
   * nothing, so running the command again is safe.
   */
  async execute<C, R>(type: CommandType<C, R>, command: C): Promise<R> {
    const handler = this.#commandHandlers.get(type.name) as CommandHandler<C, R> | undefined;
    if (!handler) throw new Error(`No handler is registered for command ${type.name}.`);
    return this.#instrumentation.run(type.name, (retrying) =>
      this.#attempts(handler, command, retrying),
    );
  }

  async #attempts<C, R>(
    handler: CommandHandler<C, R>,
    command: C,
    retrying: RetryObserver,
  ): Promise<R> {
    // Each kind of failure has its own budget: many lost races must not use up the retries
    // of a lost connection, nor the reverse.
    let conflicts = 0;
    let lostConnections = 0;
    for (;;) {
      try {
        return await handler(command);
      } catch (error) {
        if (error instanceof ConcurrencyConflict && conflicts < this.#maxRetries) {
          retrying('concurrency-conflict');
          await this.#backOff(conflicts++);
        } else if (
          error instanceof DatabaseUnavailable &&
          error.retryAtOnce &&
          lostConnections < this.#maxUnavailableRetries
        ) {
          retrying('connection-lost');
          await this.#backOff(lostConnections++);
        } else {
          throw error;
        }
      }
    }
  }
}
