/** The SQL dialects the service runs on. */
export type SqlDialect = 'sqlite' | 'postgres';
