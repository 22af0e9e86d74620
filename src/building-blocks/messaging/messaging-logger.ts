/** Where the relay, the broker and the consumers write their log lines (pino's shape). */
export interface MessagingLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
