import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { KeySetResponse } from './schemas.ts';

type PublicKey = z.infer<typeof KeySetResponse>['keys'][number];

/** How long a verifier may keep the key set (ADR 23: a new key is published before it signs). */
const MAX_AGE_SECONDS = 300;

/**
 * The public keys that verify this service's access tokens (a JSON Web Key Set, RFC 7517), at
 * the address other services' JWT libraries look for (ADR 23): they check tokens without
 * asking this service, and without holding anything that could sign one.
 */
export function keyRoutes(publicKeys: () => readonly PublicKey[]): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/.well-known/jwks.json',
      {
        schema: {
          tags: ['accounts'],
          operationId: 'getTokenKeys',
          summary: 'The public keys that verify access tokens (JWKS)',
          description:
            'For services that verify this service’s EdDSA access tokens themselves. Empty with HS256 tokens, whose secret is never published.',
          response: { 200: KeySetResponse },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`);
        return { keys: [...publicKeys()] };
      },
    );
  };
}
