import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ChannelListener } from '../../src/building-blocks/infrastructure/database/database.ts';
import { listenOnOwnConnection } from '../../src/building-blocks/infrastructure/database/postgres-listener.ts';
import { eventually } from '../support/eventually.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { type FreshDatabase, freshDatabase, TEST_DIALECT } from '../support/test-database.ts';

/** What a listener was told, in order. */
function recorder() {
  const heard: string[] = [];
  const listener: ChannelListener = {
    listening: () => void heard.push('listening'),
    notListening: () => void heard.push('not listening'),
    notified: (payload) => void heard.push(`notified ${payload}`),
  };
  const count = (what: string) => heard.filter((line) => line === what).length;
  return { heard, listener, count };
}

// The channel a session cache relies on (ADR 19): what LISTEN hears, and what happens when
// its connection fails loudly or silently.
describe.runIf(TEST_DIALECT === 'postgres')(
  'a channel listened to on a connection of its own',
  () => {
    let fresh: FreshDatabase;
    let admin: pg.Client;

    beforeAll(async () => {
      fresh = await freshDatabase();
      admin = new pg.Client({ connectionString: fresh.url });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.end();
      await fresh?.drop();
    });

    test('hears what is committed, never what is rolled back', async () => {
      const { heard, listener, count } = recorder();
      const listening = listenOnOwnConnection(fresh.url, 'changes', listener);
      try {
        await eventually(() => count('listening') === 1);

        await admin.query('begin');
        await admin.query(`select pg_notify('changes', 'rolled back')`);
        await admin.query('rollback');
        await admin.query(`select pg_notify('changes', 'committed')`);

        await eventually(() => count('notified committed') === 1);
        expect(heard).toEqual(['listening', 'notified committed']);
      } finally {
        await listening.close();
      }
    });

    test('a connection that stops answering is given up on, and listening resumes on a new one', async () => {
      const proxy = TcpProxy.for(fresh.url);
      await proxy.up();
      const { heard, listener, count } = recorder();
      const listening = listenOnOwnConnection(proxy.via(fresh.url), 'changes', listener, {
        heartbeatMs: 200,
      });
      try {
        await eventually(() => count('listening') === 1);

        // A network partition: nothing passes, no end, no error.
        proxy.stall();

        await eventually(() => count('not listening') === 1);
        await eventually(() => count('listening') === 2);
        await admin.query(`select pg_notify('changes', 'after')`);
        await eventually(() => count('notified after') === 1);
        expect(heard).toEqual(['listening', 'not listening', 'listening', 'notified after']);
      } finally {
        await listening.close();
        await proxy.down();
      }
    });
  },
);
