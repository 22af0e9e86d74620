import { Command } from 'commander';
import type { Database } from '../infrastructure/database/database.ts';
import { isMissingTable } from '../infrastructure/database/errors.ts';
import type { BrokerDeadLetters } from './amqp/broker-dead-letters.ts';
import { SqlOutbox } from './sql-outbox.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** With a broker (`BROKER_URL`): what waits in its dead-letter queue. */
type CountBrokerDeadLetters = () => Promise<BrokerDeadLetters>;

type Open = () => Promise<{
  database: Database;
  contexts: readonly string[];
  brokerDeadLetters?: CountBrokerDeadLetters;
}>;

/**
 * `npm run messages -- stats | dead-letters | redrive <id>|--all`: what operators need to see
 * and act on the outboxes without a SQL prompt. Output is plain lines; `--json` for scripts.
 */
export function messagesCommand(open: Open): Command {
  const command = new Command('messages').description(
    'Inspect the outboxes: backlog, dead letters, redrive',
  );
  const withOutboxes = async (
    work: (
      outboxes: SqlOutbox[],
      brokerDeadLetters: CountBrokerDeadLetters | undefined,
    ) => Promise<void>,
  ) => {
    const { database, contexts, brokerDeadLetters } = await open();
    try {
      await work(
        contexts.map((context) => new SqlOutbox(database, context, contexts)),
        brokerDeadLetters,
      );
    } catch (error) {
      if (!isMissingTable(error)) throw error;
      command.error(
        'This database has no outboxes yet: start the service once, or run `npm run migrate`.',
      );
    } finally {
      await database.close();
    }
  };

  command
    .command('stats')
    .description(
      "Pending messages, the age of the oldest, dead letters: per context; with a broker, the messages in its dead-letter queue too (text only: --json gives the outboxes' figures)",
    )
    .option('--json', 'one JSON document: an array with one element per context')
    .action((options: { json?: boolean }) =>
      withOutboxes(async (outboxes, brokerDeadLetters) => {
        const now = new Date();
        const stats = await Promise.all(outboxes.map((outbox) => outbox.stats(now)));
        if (options.json) return void console.log(JSON.stringify(stats));
        for (const s of stats) {
          console.log(
            `${s.context}: ${s.pending} pending (oldest ${s.oldestPendingSeconds.toFixed(1)} s), ${s.dead} dead`,
          );
        }
        if (!brokerDeadLetters) return;
        try {
          const { queue, count } = await brokerDeadLetters();
          console.log(
            `(broker dead-letter queue) ${queue}: ${count} dead (what no consumer could read, or redelivered past the limit; RabbitMQ's management UI shows them)`,
          );
        } catch (error) {
          command.error(`(broker dead-letter queue) unreachable: ${(error as Error).message}`);
        }
      }),
    );

  command
    .command('dead-letters')
    .description('Every dead-lettered message, with its attempts and last error')
    .option('--json', 'one JSON document')
    .action((options: { json?: boolean }) =>
      withOutboxes(async (outboxes) => {
        const dead = (await Promise.all(outboxes.map((outbox) => outbox.deadLetters()))).flat();
        if (options.json) return void console.log(JSON.stringify(dead));
        if (dead.length === 0) return void console.log('No dead letters.');
        for (const d of dead) {
          console.log(
            `${d.id}  ${d.context}  ${d.type}  ${d.attempts} attempts  dead since ${d.deadAt.toISOString()}\n    ${d.error}`,
          );
        }
      }),
    );

  command
    .command('redrive')
    .description('Put dead letters back in line, with a fresh count of attempts')
    .argument('[id]', 'the message id (see dead-letters)')
    .option('--all', 'every dead letter')
    .action((id: string | undefined, options: { all?: boolean }) =>
      withOutboxes(async (outboxes) => {
        if (!id === !options.all) command.error('Give a message id or --all (not both).');
        if (id && !UUID.test(id)) command.error(`${id} is not a message id (a UUID).`);
        const now = new Date();
        let count = 0;
        // Ids are stored in lower case (SQLite compares text exactly).
        const which = id?.toLowerCase() ?? 'all';
        for (const outbox of outboxes) count += await outbox.redrive(which, now);
        if (id && count === 0) command.error(`No dead letter has the id ${id}.`);
        console.log(`Redriven: ${count} message(s); the relay delivers them at its next poll.`);
      }),
    );

  return command;
}
