import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { expect, vi } from 'vitest';
import { registerContextPropagation } from '../../src/building-blocks/observability/tracing.ts';

export type { ReadableSpan };
export { SpanKind, SpanStatusCode };

/**
 * OpenTelemetry's SDK with an in-memory exporter: each span is kept as it ends. The same
 * context manager and propagator as `startTracing` registers, so spans nest as in production.
 */
export async function inMemoryTracing() {
  await registerContextPropagation();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('test');
  return {
    tracer,
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    /**
     * The first finished span named `name` (or, given `where`, the first `where` picks), once
     * it has ended.
     */
    async span(name: string, where = (span: ReadableSpan) => span.name === name) {
      let found: ReadableSpan | undefined;
      await vi.waitFor(() => {
        const spans = exporter.getFinishedSpans();
        found = spans.find(where);
        expect(found, `${name} among ${spans.map((span) => span.name).join(', ')}`).toBeDefined();
      });
      return found as ReadableSpan;
    },
  };
}

/** The id of the span `span` is a child of (none for a root span). */
export const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** Whether `span` descends from `ancestor` through the spans in `all`. */
export function descendsFrom(
  span: ReadableSpan,
  ancestor: ReadableSpan,
  all: readonly ReadableSpan[],
): boolean {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  let parent = parentOf(span);
  while (parent !== undefined) {
    if (parent === ancestor.spanContext().spanId) return true;
    parent = byId.get(parent) ? parentOf(byId.get(parent) as ReadableSpan) : undefined;
  }
  return false;
}
