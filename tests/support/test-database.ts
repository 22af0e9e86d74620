import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrations } from '../../src/app.ts';
import type { Database } from '../../src/building-blocks/infrastructure/database/database.ts';
import { migrateToLatest } from '../../src/building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from '../../src/building-blocks/infrastructure/database/open-database.ts';
import { brokerNamespaceOf, removeBrokerNamespace, THROUGH_BROKER } from './test-broker.ts';

/**
 * Which database this run of the integration and end-to-end suites targets. The same
 * suites run once per dialect: vitest.config.ts sets TEST_DIALECT per project.
 */
export const TEST_DIALECT: 'sqlite' | 'postgres' =
  process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

export interface FreshDatabase {
  url: string;
  /** Removes the database (file or PostgreSQL database) again. */
  drop(): Promise<void>;
}

/** A new, empty database of the dialect under test, all to the caller. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const fresh = await (TEST_DIALECT === 'postgres' ? freshPostgresDatabase() : freshSqliteFile());
  if (!THROUGH_BROKER) return fresh;
  return {
    url: fresh.url,
    // Its exchanges and queues on the broker go with it.
    drop: async () => {
      await removeBrokerNamespace(brokerNamespaceOf(fresh.url));
      await fresh.drop();
    },
  };
}

/** A fresh database, opened and migrated. */
export async function openTestDatabase(): Promise<{ database: Database; drop(): Promise<void> }> {
  const fresh = await freshDatabase();
  const database = openDatabase(fresh.url, { poolSize: 5 });
  await migrateToLatest(database, ...migrations);
  return {
    database,
    drop: async () => {
      await database.close();
      await fresh.drop();
    },
  };
}

async function freshSqliteFile(): Promise<FreshDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'taskflow-test-'));
  return {
    url: `sqlite:${join(dir, 'test.db')}`,
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

async function freshPostgresDatabase(): Promise<FreshDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DIALECT=postgres needs TEST_DATABASE_URL.');
  const name = `taskflow_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await withAdmin(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`)),
  };
}

async function withAdmin(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
