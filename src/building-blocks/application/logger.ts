/** Where application code writes a structured log line (pino's shape). */
export interface Logger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}
