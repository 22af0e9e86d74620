import { context, propagation, type Tracer } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { TraceSampler, TracingSettings } from '../../config/telemetry.ts';

/** Tracing that is on: the tracer every seam uses, and how to flush it at shutdown. */
export interface Tracing {
  readonly tracer: Tracer;
  shutdown(): Promise<void>;
}

/** The instrumentation scope the spans are reported under. */
export const TRACER_NAME = 'taskflow';

/**
 * What makes spans nest across `await`s (the AsyncLocalStorage context manager) and travel
 * in `traceparent` headers (W3C Trace Context, in HTTP requests and in outbox messages).
 * Registered once per process; a second call changes nothing.
 */
export async function registerContextPropagation(): Promise<void> {
  const [{ AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
  ]);
  if (context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())) {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  }
}

/**
 * Starts OpenTelemetry's tracing SDK: spans go in batches to the OTLP exporter (which reads
 * the rest of `OTEL_EXPORTER_OTLP_*` itself) and, with `OTEL_TRACES_EXPORTER=console`, one by
 * one to standard output. Called only when tracing is on: otherwise none of the SDK is loaded
 * and every seam is left unwrapped (see ADR 17).
 */
export async function startTracing(settings: TracingSettings, version: string): Promise<Tracing> {
  const [sdk, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    registerContextPropagation(),
  ]);
  const spanProcessors: SpanProcessor[] = [];
  if (settings.exporters.includes('otlp')) {
    const { OTLPTraceExporter } =
      settings.protocol === 'http/json'
        ? await import('@opentelemetry/exporter-trace-otlp-http')
        : await import('@opentelemetry/exporter-trace-otlp-proto');
    spanProcessors.push(
      new sdk.BatchSpanProcessor({ exporter: new OTLPTraceExporter(), ...settings.batch }),
    );
  }
  if (settings.exporters.includes('console')) {
    // Where a person reads them as they happen: not batched.
    spanProcessors.push(new sdk.SimpleSpanProcessor({ exporter: new sdk.ConsoleSpanExporter() }));
  }
  // Package name and version first; OTEL_RESOURCE_ATTRIBUTES, then OTEL_SERVICE_NAME, override.
  const resource = resources
    .resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': version })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.TracerProvider({
    resource,
    sampler: sampler(sdk, settings.sampler),
    spanLimits: settings.limits,
    spanProcessors,
  });
  return {
    tracer: provider.getTracer(TRACER_NAME, version),
    shutdown: () => provider.shutdown(),
  };
}

type Sdk = typeof import('@opentelemetry/sdk-trace');

function sampler(sdk: Sdk, setting: TraceSampler) {
  const root = (() => {
    switch (setting.kind) {
      case 'always_off':
      case 'parentbased_always_off':
        return new sdk.AlwaysOffSampler();
      case 'traceidratio':
      case 'parentbased_traceidratio':
        return new sdk.TraceIdRatioBasedSampler(setting.ratio);
      default:
        return new sdk.AlwaysOnSampler();
    }
  })();
  return setting.kind.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
}
