import { sql } from 'kysely';
import type {
  ContextMigrations,
  MigrationDb,
} from '../../building-blocks/infrastructure/database/migrations.ts';
import {
  createMessageTables,
  indexDeadLetters,
} from '../../building-blocks/messaging/message-tables.ts';

export const accountsMigrations: ContextMigrations = {
  '20261124-01-accounts-users': {
    async up(db: MigrationDb, dialect) {
      if (dialect === 'postgres') await db.schema.createSchema('accounts').ifNotExists().execute();
      await db.schema
        .createTable('accounts.users')
        .addColumn('id', dialect === 'postgres' ? 'uuid' : 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', dialect === 'postgres' ? 'timestamptz' : 'text', (c) =>
          c.notNull(),
        )
        .addColumn('version', 'integer', (c) => c.notNull())
        .addUniqueConstraint('accounts_users_email_key', ['email'])
        .execute();
    },
  },
  '20261130-01-accounts-login-attempts': {
    async up(db: MigrationDb) {
      await db.schema
        .createTable('accounts.login_attempts')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  '20261130-02-accounts-sessions': {
    async up(db: MigrationDb, dialect) {
      const postgres = dialect === 'postgres';
      const id = postgres ? 'uuid' : 'text';
      const timestamp = postgres ? 'timestamptz' : 'text';
      await db.schema
        .createTable('accounts.sessions')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('user_id', id, (c) => c.notNull())
        .addColumn('refresh_token_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', timestamp, (c) => c.notNull())
        .addColumn('last_used_at', timestamp, (c) => c.notNull())
        .addColumn('expires_at', timestamp, (c) => c.notNull())
        .addColumn('idle_expires_at', timestamp, (c) => c.notNull())
        .addColumn('revoked_at', timestamp)
        .addColumn('client_address', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addUniqueConstraint('accounts_sessions_refresh_token_hash_key', ['refresh_token_hash'])
        .execute();
      await db.schema
        .createIndex('accounts_sessions_user_idx')
        .on('accounts.sessions')
        .column('user_id')
        .execute();
      // Refresh tokens already used for a refresh, kept to recognise one presented again.
      await db.schema
        .createTable('accounts.retired_refresh_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('session_id', id, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('accounts_retired_refresh_tokens_session_idx')
        .on('accounts.retired_refresh_tokens')
        .column('session_id')
        .execute();
    },
  },
  '20261130-01-accounts-outbox-and-inbox': {
    async up(db: MigrationDb, dialect) {
      await createMessageTables(db, dialect, 'accounts');
    },
  },
  '20261201-01-accounts-session-change-notifications': {
    // Every change to a session row tells the processes that cache session statuses
    // (session-status-cache.ts), on COMMIT, which session changed: a revocation, a rotation,
    // a deletion, whatever code or person made it. SQLite has no notifications between
    // processes, and caches nothing.
    async up(db: MigrationDb, dialect) {
      if (dialect !== 'postgres') return;
      await sql`create function accounts.notify_session_changed() returns trigger
        language plpgsql as $$
        begin
          perform pg_notify('accounts_session_changed', old.id::text);
          return null;
        end $$`.execute(db);
      await sql`create trigger sessions_notify_changes
        after update or delete on accounts.sessions
        for each row execute function accounts.notify_session_changed()`.execute(db);
    },
  },
  '20261201-02-accounts-outbox-dead-letter-index': {
    async up(db: MigrationDb) {
      await indexDeadLetters(db, 'accounts');
    },
  },
  '20261204-01-accounts-login-attempts-unlogged': {
    // Login counts are a throttle's short memory, not records: on PostgreSQL they skip the
    // write-ahead log (each login writes and deletes one), and a crash forgets them, as a
    // restart of Redis without persistence would (ADR 13).
    async up(db: MigrationDb, dialect) {
      if (dialect === 'postgres') {
        await sql`alter table accounts.login_attempts set unlogged`.execute(db);
      }
    },
  },
};
