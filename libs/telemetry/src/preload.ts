/*
 * Loaded with `node --require` before the service's bundle, so the instrumentation is in place
 * before amqplib, pg, http and express are first required. An import inside main would be too
 * late: the bundle requires them while its modules load.
 */
import { startTracing } from './tracing/start-tracing';
import {
  bundleName,
  readTelemetrySettings,
  TelemetrySettingsError,
} from './tracing/telemetry-settings';

// eslint-disable-next-line no-restricted-properties -- runs before Nest and its validated config
const env = process.env;
try {
  startTracing(readTelemetrySettings(env, process.argv[1]));
} catch (error) {
  if (!(error instanceof TelemetrySettingsError)) throw error;
  // The line the service's own boot prints for a bad setting (runService), under its name.
  const service = bundleName(process.argv[1]);
  process.stderr.write(`${service} failed to start: Invalid configuration: ${error.message}\n`);
  process.exit(1);
}
