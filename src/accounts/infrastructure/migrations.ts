import type {
  ContextMigrations,
  MigrationDb,
} from '../../building-blocks/infrastructure/database/migrations.ts';
import { createMessageTables } from '../../building-blocks/messaging/message-tables.ts';

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
  '20261130-01-accounts-outbox-and-inbox': {
    async up(db: MigrationDb, dialect) {
      await createMessageTables(db, dialect, 'accounts');
    },
  },
};
