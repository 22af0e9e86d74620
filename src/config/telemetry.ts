import { ConfigError } from './config-error.ts';

/** How spans leave the process: OTLP over HTTP, as protobuf (the default) or JSON. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * Tracing as OpenTelemetry's standard variables ask for it. The exporter itself reads the
 * endpoint, headers, timeout, compression and certificates (`OTEL_EXPORTER_OTLP_*`); the
 * resource reads `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`.
 */
export interface TracingSettings {
  protocol: OtlpProtocol;
  /** `OTEL_SERVICE_NAME`, or the package's name. */
  serviceName: string;
  /** `OTEL_TRACES_SAMPLER` and its argument, checked here, built by `startTracing`. */
  sampler: TraceSampler;
}

export type TraceSampler =
  | { kind: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { kind: 'traceidratio' | 'parentbased_traceidratio'; ratio: number };

export interface TelemetrySettings {
  /** Off (undefined) unless an OTLP endpoint is set: then no SDK is even loaded. */
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
 * Tracing is on when `OTEL_EXPORTER_OTLP_ENDPOINT` (or its traces-only form) is set and
 * neither `OTEL_SDK_DISABLED=true` nor `OTEL_TRACES_EXPORTER=none` turns it off. gRPC is not
 * offered (it would bring a second HTTP/2 stack): a collector listens on 4318 for HTTP too.
 */
export function parseTracing(
  env: Record<string, string | undefined>,
  packageName: string,
): TracingSettings | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return undefined;
  const protocolVariable = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env[protocolVariable]?.trim() || 'http/protobuf';
  if (!PROTOCOLS.has(protocol)) {
    throw new ConfigError(
      `Invalid setting ${protocolVariable}: "${protocol}" (use http/protobuf or http/json; grpc is not supported)`,
    );
  }
  return {
    protocol: protocol as OtlpProtocol,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || packageName,
    sampler: parseSampler(env.OTEL_TRACES_SAMPLER, env.OTEL_TRACES_SAMPLER_ARG),
  };
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
