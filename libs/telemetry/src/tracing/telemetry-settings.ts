import { basename, dirname } from 'node:path';

export interface TelemetrySettings {
  serviceName: string;
  /** OTLP/HTTP endpoint; without one, spans are not recorded or exported. */
  endpoint?: string;
}

export class TelemetrySettingsError extends Error {}

/**
 * Reads the two OTEL_* settings of DESIGN §5. This runs before Nest (and its validated config),
 * so it checks the endpoint itself; the service's ConfigModule validates the same variables again.
 * Without OTEL_SERVICE_NAME the service is named after its bundle, dist/apps/<service>/main.js.
 */
export function readTelemetrySettings(
  env: Record<string, string | undefined>,
  entryScript: string | undefined,
): TelemetrySettings {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || undefined;
  // The scheme in any case, as the service's schema (a WHATWG URL) reads it.
  if (endpoint !== undefined && !/^https?:\/\/[^\s]+$/i.test(endpoint)) {
    throw new TelemetrySettingsError(
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL starting with http:// or https://',
    );
  }
  return {
    serviceName: serviceNameOf(env, entryScript),
    endpoint: endpoint?.replace(/\/+$/, ''),
  };
}

/** OTEL_SERVICE_NAME, else the bundle's name. */
function serviceNameOf(env: Record<string, string | undefined>, entryScript?: string): string {
  return env.OTEL_SERVICE_NAME?.trim() || bundleName(entryScript);
}

/** The service a bundle runs, from its folder: dist/apps/<service>/main.js. */
export function bundleName(entryScript: string | undefined): string {
  return entryScript ? basename(dirname(entryScript)) : 'service';
}
