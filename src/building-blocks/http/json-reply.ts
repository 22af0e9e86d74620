import type { FastifyReply } from 'fastify';
import type { Json } from '../application/json.ts';

/**
 * Sends a view a read model wrote as JSON, as it is: no serializer runs. The route's response
 * schema still documents it; the read model's SQL names the fields that leave (an allow-list
 * like the schema), and the integration and end-to-end tests hold both to the same shape.
 */
export function sendJson<T>(reply: FastifyReply, json: Json<T>): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}
