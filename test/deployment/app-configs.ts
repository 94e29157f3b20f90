import { type ServiceName, SERVICE_NAMES } from '@app/services';
import { join } from 'node:path';
import type { ZodObject, ZodRawShape } from 'zod';

/** The application services (the service registry's), and what each one's config schema knows and makes of an env. */

export const APPS: readonly ServiceName[] = SERVICE_NAMES;

export interface AppConfig {
  PORT: number;
  SHUTDOWN_TIMEOUT_MS: number;
  RABBITMQ_URL: string;
  DATABASE_URL: string;
  LOG_FORMAT: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

interface AppConfigModule {
  keys: string[];
  validate: (env: Record<string, unknown>) => AppConfig;
}

/**
 * The deployment files must agree with the services' own config schemas, so they are read from
 * the apps: every service keeps its config in apps/<name>/src/<name>.config.ts, exporting one
 * `…ConfigSchema` and one `validate…Config` (what `npm run generate -- service` writes).
 */
function loadAppConfig(name: ServiceName): AppConfigModule {
  const path = join(__dirname, '../../apps', name, 'src', `${name}.config`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the path comes from the registry
  const exported = require(path) as Record<string, unknown>;
  const exportNamed = (pattern: RegExp): unknown => {
    const names = Object.keys(exported).filter((key) => pattern.test(key));
    if (names.length !== 1) {
      throw new Error(
        `${path}.ts should export exactly one ${pattern.source}, not [${names.join(', ')}]`,
      );
    }
    return exported[names[0]];
  };
  const schema = exportNamed(/^[a-z][A-Za-z0-9]*ConfigSchema$/) as ZodObject<ZodRawShape>;
  const validate = exportNamed(/^validate[A-Z][A-Za-z0-9]*Config$/) as AppConfigModule['validate'];
  return { keys: Object.keys(schema.shape), validate };
}

export const CONFIG = Object.fromEntries(APPS.map((name) => [name, loadAppConfig(name)])) as Record<
  ServiceName,
  AppConfigModule
>;
