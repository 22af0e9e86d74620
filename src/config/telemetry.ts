import { ConfigError } from './config-error.ts';

/** How spans leave the process: OTLP over HTTP, as protobuf (the default) or JSON. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Where spans go: an OTLP/HTTP collector, standard output (to look at them while
 * developing), or both (`OTEL_TRACES_EXPORTER=otlp,console`). */
export type SpanExporterKind = 'otlp' | 'console';

/**
 * Tracing as OpenTelemetry's standard variables ask for it. The exporter itself reads the
 * endpoint, headers, timeout, compression and certificates (`OTEL_EXPORTER_OTLP_*`); the
 * resource reads `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`; the rest is read here,
 * because the 3.x SDK no longer reads it (see ADR 17).
 */
export interface TracingSettings {
  /** `OTEL_TRACES_EXPORTER`, without `none` (which turns tracing off). */
  exporters: SpanExporterKind[];
  protocol: OtlpProtocol;
  /** `OTEL_SERVICE_NAME`, or the package's name. */
  serviceName: string;
  /** `OTEL_TRACES_SAMPLER` and its argument, checked here, built by `startTracing`. */
  sampler: TraceSampler;
  /** `OTEL_BSP_*`: those set; the SDK's defaults (the specification's) for the rest. */
  batch: BatchSettings;
  /** `OTEL_ATTRIBUTE_*`, `OTEL_SPAN_*`, `OTEL_EVENT_*`, `OTEL_LINK_*`: those set. */
  limits: SpanLimits;
}

/** How the batch span processor batches what it exports (`OTEL_BSP_*`). */
export interface BatchSettings {
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
}

/** What one span may hold; past a limit the SDK drops attributes, events or links. */
export interface SpanLimits {
  attributeValueLengthLimit?: number;
  attributeCountLimit?: number;
  eventCountLimit?: number;
  linkCountLimit?: number;
  attributePerEventCountLimit?: number;
  attributePerLinkCountLimit?: number;
}

export type TraceSampler =
  | { kind: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { kind: 'traceidratio' | 'parentbased_traceidratio'; ratio: number };

export interface TelemetrySettings {
  /** Off (undefined) unless an OTLP endpoint is set or an exporter named: then no SDK is even loaded. */
  tracing: TracingSettings | undefined;
  /** `GET /metrics` in Prometheus' text format. */
  metricsEnabled: boolean;
  /** Serve `/metrics` on this port alone (not on the API's); unset: on the API's port. */
  metricsPort: number | undefined;
}

const PROTOCOLS = new Set<string>(['http/protobuf', 'http/json']);
const SAMPLERS = new Set<string>([
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
]);

/**
 * Tracing is on when `OTEL_EXPORTER_OTLP_ENDPOINT` (or its traces-only form) is set, or when
 * `OTEL_TRACES_EXPORTER` names an exporter (`otlp` then defaults to OpenTelemetry's
 * `http://localhost:4318`); `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turns it
 * off. gRPC is not offered (it would bring a second HTTP/2 stack): a collector listens on
 * 4318 for HTTP too. Zipkin is not offered either: collectors take OTLP.
 */
export function parseTracing(
  env: Record<string, string | undefined>,
  packageName: string,
): TracingSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = parseExporters(env.OTEL_TRACES_EXPORTER);
  if (exporters === 'none') return undefined;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (exporters === undefined && !endpoint) return undefined;
  const chosen = exporters ?? ['otlp'];
  const protocolVariable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env[protocolVariable]?.trim() || 'http/protobuf';
  if (chosen.includes('otlp') && !PROTOCOLS.has(protocol)) {
    throw new ConfigError(
      `Invalid setting ${protocolVariable}: "${protocol}" (use http/protobuf or http/json; grpc is not supported)`,
    );
  }
  return {
    exporters: chosen,
    protocol: protocol as OtlpProtocol,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || packageName,
    sampler: parseSampler(env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG),
    batch: parseBatch(env),
    limits: parseLimits(env),
  };
}

const EXPORTERS = new Set<string>(['otlp', 'console', 'none']);

/** `OTEL_TRACES_EXPORTER`: a list (`otlp,console`); unset: undefined; `none` alone: off. */
function parseExporters(setting: string | undefined): SpanExporterKind[] | 'none' | undefined {
  const names = [
    ...new Set(
      (setting ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) return undefined;
  for (const name of names) {
    if (!EXPORTERS.has(name)) {
      throw new ConfigError(
        `Invalid setting OTEL_TRACES_EXPORTER: "${name}" (use otlp, console or none)`,
      );
    }
  }
  if (names.includes('none')) {
    if (names.length > 1) {
      throw new ConfigError('Invalid setting OTEL_TRACES_EXPORTER: "none" goes alone');
    }
    return 'none';
  }
  return names as SpanExporterKind[];
}

function parseBatch(env: Record<string, string | undefined>): BatchSettings {
  const batch = definedOnly({
    scheduledDelayMillis: count(env, 'OTEL_BSP_SCHEDULE_DELAY'),
    // 0 would time every export out at once, and the flush at shutdown with them.
    exportTimeoutMillis: count(env, 'OTEL_BSP_EXPORT_TIMEOUT', 1),
    maxQueueSize: count(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 1),
    maxExportBatchSize: count(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 1),
  });
  // The specification's default queue (2,048) when only the batch size is set. (A queue set
  // below the default batch of 512 makes the batch that size: the SDK does so itself.)
  if ((batch.maxExportBatchSize ?? 0) > (batch.maxQueueSize ?? 2048)) {
    throw new ConfigError(
      'Invalid setting OTEL_BSP_MAX_EXPORT_BATCH_SIZE: larger than OTEL_BSP_MAX_QUEUE_SIZE (2048 unless set)',
    );
  }
  return batch;
}

/**
 * The span limits; a span's own (`OTEL_SPAN_ATTRIBUTE_*`) win over the general ones, and
 * both are checked. A length limit of 0 is refused: the SDK would read it as no limit.
 */
function parseLimits(env: Record<string, string | undefined>): SpanLimits {
  const generalLength = count(env, 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', 1);
  const generalCount = count(env, 'OTEL_ATTRIBUTE_COUNT_LIMIT');
  return definedOnly({
    attributeValueLengthLimit:
      count(env, 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 1) ?? generalLength,
    attributeCountLimit: count(env, 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? generalCount,
    eventCountLimit: count(env, 'OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: count(env, 'OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: count(env, 'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'),
    attributePerLinkCountLimit: count(env, 'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'),
  });
}

/** The specification's ceiling for these variables (and Node.js's for a timer's delay). */
const MAXIMUM = 2 ** 31 - 1;

/** A whole number from `minimum` to 2^31-1, or undefined when the variable is unset or empty. */
function count(
  env: Record<string, string | undefined>,
  variable: string,
  minimum = 0,
): number | undefined {
  const value = env[variable]?.trim();
  if (!value) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < minimum || number > MAXIMUM) {
    throw new ConfigError(
      `Invalid setting ${variable}: "${value}" (a whole number from ${minimum} to ${MAXIMUM})`,
    );
  }
  return number;
}

function definedOnly<T extends object>(values: T): T {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as T;
}

function parseSampler(name = 'parentbased_always_on', argument?: string): TraceSampler {
  const kind = name.trim().toLowerCase();
  if (!SAMPLERS.has(kind)) {
    throw new ConfigError(
      `Invalid setting OTEL_TRACES_SAMPLER: "${name}" (use one of ${[...SAMPLERS].join(', ')})`,
    );
  }
  if (kind !== 'traceidratio' && kind !== 'parentbased_traceidratio') {
    return { kind } as TraceSampler;
  }
  const ratio = argument === undefined || argument.trim() === '' ? 1 : Number(argument);
  if (!(ratio >= 0 && ratio <= 1)) {
    throw new ConfigError(
      `Invalid setting OTEL_TRACES_SAMPLER_ARG: "${argument}" (a ratio between 0 and 1)`,
    );
  }
  return { kind, ratio };
}
