/** A setting that stops the process at start-up; its message is one line naming the setting. */
export class ConfigError extends Error {}
