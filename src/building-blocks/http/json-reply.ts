import type { FastifyReply } from 'fastify';
import type { Serialized } from '../application/json.ts';

/**
 * Sends a view that is already JSON as it is: no serializer runs. The route's response schema
 * still documents it; the read model's SQL names the fields that leave (an allow-list like
 * the schema), and an integration test parses every such view with the route's schema.
 */
export function sendSerialized<T>(reply: FastifyReply, view: Serialized<T>): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(view.json);
}
