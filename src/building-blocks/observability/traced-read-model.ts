import { SpanKind, type Tracer } from '@opentelemetry/api';
import { inSpan } from './spans.ts';

/**
 * A read model whose every query is a span (`projects.findTask`), the parent of its SQL
 * statement's. Reads do not go through the bus (a route calls its query function, which
 * asks the read model): this is where a read is named. Every method of a read-model port
 * returns a promise. Without a tracer the read model is returned as it is.
 */
export function tracedReadModel<T extends object>(
  readModel: T,
  tracer: Tracer | undefined,
  context: string,
): T {
  if (!tracer) return readModel;
  const spans = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy(readModel, {
    get(target, key) {
      // The read model itself as `this`: its private fields are not the proxy's.
      const value = Reflect.get(target, key) as unknown;
      if (typeof key !== 'string' || typeof value !== 'function') return value;
      let traced = spans.get(key);
      if (!traced) {
        const name = `${context}.${key}`;
        traced = (...args) =>
          inSpan(
            tracer,
            name,
            { kind: SpanKind.INTERNAL, attributes: { 'taskflow.query': name } },
            () => value.apply(target, args) as Promise<unknown>,
          );
        spans.set(key, traced);
      }
      return traced;
    },
  });
}
