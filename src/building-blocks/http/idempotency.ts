import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../application/clock.ts';
import { DatabaseUnavailable } from '../application/database-unavailable.ts';
import {
  type IdempotencyClaim,
  IdempotencyKeyInFlight,
  IdempotencyKeyReused,
  type IdempotencyStore,
  type StoredResponse,
} from '../application/idempotency.ts';

/** Keys clients make up: a UUID fits, so does any short token of these characters. */
const KEY = /^[A-Za-z0-9_.:-]{1,100}$/;

/** The request header of a route that takes an `Idempotency-Key`, for its schema. */
export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(KEY, { error: 'must be 1 to 100 letters, digits or _ . : -' })
    .optional()
    .describe(
      'Makes the request safe to retry: a repeat with the same key and body within 24 hours gets the first answer again and changes nothing.',
    ),
});

/** Says on a response that it is the stored answer of an earlier request. */
export const REPLAYED_HEADER = 'idempotent-replayed';

export interface Idempotency {
  store: IdempotencyStore;
  clock: Clock;
}

/**
 * Runs a command that creates something under the request's `Idempotency-Key`, if it has one:
 * the first request claims the key and runs the command with the claim (the command stores
 * the answer in its own transaction); a repeat with the same method, path and body gets the
 * stored answer (with `Idempotent-Replayed: true`); a different request with the key is a 422;
 * a repeat while the first still runs is a 409. A command that fails gives the key up (it
 * changed nothing), so the client may retry with it.
 */
export async function sendIdempotent<R>(
  { store, clock }: Idempotency,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  execute: (claim: IdempotencyClaim | undefined) => Promise<R>,
  answer: (result: R) => StoredResponse,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string') return send(reply, answer(await execute(undefined)));

  const fingerprint = createHash('sha256')
    .update(JSON.stringify([request.method, pathAsRead(request), request.body ?? null]))
    .digest('base64url');
  const outcome = await lostConnectionRetried(() =>
    store.claim({ userId, key, fingerprint }, (result) => answer(result as R), clock.now()),
  );
  switch (outcome.kind) {
    case 'replay':
      reply.header(REPLAYED_HEADER, 'true');
      return send(reply, outcome.response);
    case 'mismatch':
      throw new IdempotencyKeyReused();
    case 'in-flight':
      throw new IdempotencyKeyInFlight();
    case 'claimed': {
      let result: R;
      try {
        result = await execute(outcome.claim);
      } catch (error) {
        // What the client is told is why the command failed: a release that fails too (the
        // same outage) leaves the key held until its claim's lease runs out.
        await store.release(outcome.claim).catch(() => {});
        throw error;
      }
      return send(reply, answer(result));
    }
  }
}

/**
 * The claim runs in a transaction of its own, outside the bus: like the bus for a command, it
 * is tried again at once (twice at most) when its connection was lost before it committed.
 */
async function lostConnectionRetried<T>(claim: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await claim();
    } catch (error) {
      if (!(error instanceof DatabaseUnavailable && error.retryAtOnce && attempt < 2)) throw error;
    }
  }
}

/**
 * The request's path as its route reads it: the route's template with the parameters as
 * validated, so `/api/projects/%34%32/tasks` is `/api/projects/42/tasks`, and without the
 * query string (no creating route reads one). With the body as validated, this is what makes
 * two requests "the same request" for a key: spellings that mean the same match.
 */
function pathAsRead(request: FastifyRequest): string {
  const params = request.params as Record<string, unknown>;
  const template = request.routeOptions.url ?? request.url; // a route always has its template
  return template.replace(/:(\w+)/g, (_, name: string) => String(params[name]));
}

function send(reply: FastifyReply, { status, headers, body }: StoredResponse): FastifyReply {
  return reply.status(status).headers(headers).type('application/json; charset=utf-8').send(body);
}

/** A `201 Created` of a JSON view at `location`. */
export function created(location: string, view: unknown): StoredResponse {
  return { status: 201, headers: { location }, body: JSON.stringify(view) };
}
