import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { buildApp, MESSAGING_CONTEXTS, migrations } from './app.ts';
import { migrateToLatest } from './building-blocks/infrastructure/database/migrations.ts';
import { openDatabase } from './building-blocks/infrastructure/database/open-database.ts';
import { resetDatabase } from './building-blocks/infrastructure/database/reset.ts';
import {
  DatabaseStartupError,
  waitForDatabase,
} from './building-blocks/infrastructure/database/wait-for-database.ts';
import { brokerDeadLetters } from './building-blocks/messaging/amqp/broker-dead-letters.ts';
import { messagesCommand } from './building-blocks/messaging/messages-command.ts';
import { loadConfig } from './config.ts';
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemoData } from './seed.ts';
import { startupFailure } from './startup-failure.ts';

const CONTEXT_SCHEMAS = ['accounts', 'projects'];

const program = new Command('taskflow').description('Taskflow maintenance commands');

program
  .command('migrate')
  .description('Bring the database schema up to date')
  .action(async () => {
    const config = loadConfig();
    const database = openDatabase(config.databaseUrl, { poolSize: 1 });
    try {
      await waitForDatabase(database, config.databaseUrl, config.databaseWaitSeconds * 1000);
      const { applied, unknown } = await migrateToLatest(database, ...migrations);
      console.log(
        applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is already up to date.',
      );
      if (unknown.length) {
        console.log(`A newer version has also run ${unknown.join(', ')}; left as it is.`);
      }
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description(`Create the demo user ${DEMO_EMAIL} and their projects`)
  .option('--reset', 'drop all data first and start from an empty database')
  .action(async (options: { reset?: boolean }) => {
    const config = { ...loadConfig(), logLevel: 'warn' };
    const database = openDatabase(config.databaseUrl, { poolSize: 2 });
    await waitForDatabase(database, config.databaseUrl, config.databaseWaitSeconds * 1000).catch(
      async (error: unknown) => {
        await database.close();
        throw error;
      },
    );
    if (options.reset) await resetDatabase(database, CONTEXT_SCHEMAS);
    const app = await buildApp(config, { database });
    try {
      const created = await seedDemoData(app.bus);
      console.log(
        created
          ? `Seeded: log in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}.`
          : `Nothing to do: ${DEMO_EMAIL} already exists (use --reset to start over).`,
      );
    } finally {
      await app.http.close();
    }
  });

program.addCommand(
  messagesCommand(async () => {
    const config = loadConfig();
    refuseToCreateSqliteFile(config.databaseUrl);
    const database = openDatabase(config.databaseUrl, { poolSize: 1 });
    await waitForDatabase(database, config.databaseUrl, config.databaseWaitSeconds * 1000);
    const { broker } = config;
    return {
      database,
      contexts: MESSAGING_CONTEXTS,
      ...(broker && {
        brokerDeadLetters: () => brokerDeadLetters(broker.url, broker.namespace),
      }),
    };
  }),
);

/**
 * Opening a SQLite file that does not exist creates it: a mistyped `DATABASE_URL` would leave
 * an empty database behind and report on it. Inspecting commands look at an existing one.
 */
function refuseToCreateSqliteFile(url: string): void {
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : undefined;
  if (path === undefined || path === ':memory:' || existsSync(path)) return;
  throw new DatabaseStartupError(
    `There is no SQLite database at ${path}: check DATABASE_URL (the service creates it when it first starts).`,
    undefined,
  );
}

program.parseAsync().catch((error: unknown) => {
  console.error(startupFailure(error));
  process.exit(1);
});
