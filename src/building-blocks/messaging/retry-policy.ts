export interface RetryPolicy {
  /** Deliveries in all, the first included; after the last failure the message is dead. */
  readonly maxAttempts: number;
  readonly firstDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  firstDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
};

/**
 * How long to wait after the `attempt`-th failure (1 for the first): exponential, capped, with
 * "full jitter" (a random point between half the delay and the delay), so messages that
 * failed together do not come back together.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** (attempt - 1));
  return Math.round(delay / 2 + random() * (delay / 2));
}
