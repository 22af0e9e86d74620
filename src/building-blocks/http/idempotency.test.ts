import Fastify from 'fastify';
import { afterEach, describe, expect, test } from 'vitest';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import type { ClaimOutcome, IdempotencyStore } from '../application/idempotency.ts';
import { FixedClock } from '../application/testing/fixed-clock.ts';
import { created, sendIdempotent } from './idempotency.ts';

const lost = () =>
  new DatabaseUnavailable(new Error('connection lost'), {
    nothingWritten: true,
    retryAtOnce: true,
  });

/** A store whose claims fail with `failures` first (one each), then succeed. */
function storeFailingFirst(failures: Error[], release: () => Promise<void> = async () => {}) {
  const calls = { claims: 0, releases: 0 };
  const store: IdempotencyStore = {
    async claim(request, answer): Promise<ClaimOutcome> {
      const failure = failures[calls.claims++];
      if (failure) throw failure;
      return { kind: 'claimed', claim: { ...request, token: 't', answer } };
    },
    async release() {
      calls.releases++;
      await release();
    },
  };
  return { store, calls };
}

const apps: ReturnType<typeof Fastify>[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function serve(store: IdempotencyStore, execute: () => Promise<{ id: number }>) {
  const app = Fastify();
  apps.push(app);
  app.post('/things', (request, reply) =>
    sendIdempotent({ store, clock: new FixedClock() }, request, reply, 'user-1', execute, (thing) =>
      created(`/things/${thing.id}`, thing),
    ),
  );
  return (key: string) =>
    app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'idempotency-key': key },
      payload: { a: 1 },
    });
}

describe('a keyed request', () => {
  test('whose claim lost its connection is claimed again at once, as the bus runs a command again', async () => {
    const { store, calls } = storeFailingFirst([lost(), lost()]);
    const post = serve(store, async () => ({ id: 7 }));

    const response = await post('k-1');

    expect(response.statusCode).toBe(201);
    expect(calls.claims).toBe(3);
  });

  test('whose claim keeps losing its connection fails after three tries', async () => {
    const { store, calls } = storeFailingFirst([lost(), lost(), lost()]);
    const post = serve(store, async () => ({ id: 7 }));

    const response = await post('k-2');

    expect(response.statusCode).toBe(500); // no error handler here: the error went through
    expect(calls.claims).toBe(3);
  });

  test('whose command fails is told why, even when giving the key back fails too', async () => {
    const { store, calls } = storeFailingFirst([], async () => {
      throw new Error('release failed too');
    });
    const app = Fastify();
    apps.push(app);
    app.setErrorHandler((error, _request, reply) =>
      reply.status(409).send({ message: (error as Error).message }),
    );
    app.post('/things', (request, reply) =>
      sendIdempotent(
        { store, clock: new FixedClock() },
        request,
        reply,
        'user-1',
        async () => {
          throw new Error('the command’s own failure');
        },
        (thing: { id: number }) => created(`/things/${thing.id}`, thing),
      ),
    );

    const response = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'idempotency-key': 'k-3' },
      payload: { a: 1 },
    });

    expect(response.json()).toEqual({ message: 'the command’s own failure' });
    expect(calls.releases).toBe(1);
  });
});
