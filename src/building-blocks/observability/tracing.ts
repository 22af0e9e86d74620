import { context, propagation, type Tracer } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { TraceSampler, TracingSettings } from '../../config/telemetry.ts';

/** Tracing that is on: the tracer every seam uses, and how to flush it at shutdown. */
export interface Tracing {
  readonly tracer: Tracer;
  /** Where a failing export is told: once when exports start failing, once when they work again. */
  reportExportsTo(log: ExportLog): void;
  shutdown(): Promise<void>;
}

export interface ExportLog {
  warn(fields: object, message: string): void;
  info(message: string): void;
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
  const [sdk, resources, { ExportResultCode }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    registerContextPropagation(),
  ]);
  const spanProcessors: SpanProcessor[] = [];
  const exports = new ExportReport();
  if (settings.exporters.includes('otlp')) {
    const { OTLPTraceExporter } =
      settings.protocol === 'http/json'
        ? await import('@opentelemetry/exporter-trace-otlp-http')
        : await import('@opentelemetry/exporter-trace-otlp-proto');
    spanProcessors.push(
      new sdk.BatchSpanProcessor({
        exporter: reporting(new OTLPTraceExporter(), (result) =>
          exports.exported(
            result.code === ExportResultCode.SUCCESS
              ? undefined
              : (result.error ?? new Error('the collector refused the spans')),
          ),
        ),
        ...settings.batch,
      }),
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
    reportExportsTo: (log) => exports.to(log),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * Whether the collector takes the spans. The SDK drops a batch it could not export and says
 * nothing (unless its own diagnostic logger is set): an endpoint with no collector behind it
 * would lose every span in silence.
 */
class ExportReport {
  #log: ExportLog | undefined;
  #failing = false;

  to(log: ExportLog): void {
    this.#log = log;
  }

  exported(error: Error | undefined): void {
    if (error && !this.#failing) {
      this.#failing = true;
      this.#log?.warn(
        { cause: error.message },
        'trace export failed: spans are dropped until the OTLP collector takes them again',
      );
    } else if (!error && this.#failing) {
      this.#failing = false;
      this.#log?.info('trace export works again');
    }
  }
}

function reporting(exporter: SpanExporter, exported: (result: ExportResult) => void): SpanExporter {
  return {
    export: (spans, done) =>
      exporter.export(spans, (result) => {
        exported(result);
        done(result);
      }),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
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
