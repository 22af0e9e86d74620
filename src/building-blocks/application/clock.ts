/** The only source of "now" for application code, so time can be fixed in tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
