/*
 * Loaded with `node --require` before the service's bundle, so the instrumentation is in place
 * before amqplib, pg, http and express are first required. An import inside main would be too
 * late: the bundle requires them while its modules load.
 */
import { startTracing } from './tracing/start-tracing';
import { readTelemetrySettings, TelemetrySettingsError } from './tracing/telemetry-settings';

try {
  // eslint-disable-next-line no-restricted-properties -- runs before Nest and its validated config
  startTracing(readTelemetrySettings(process.env, process.argv[1]));
} catch (error) {
  if (!(error instanceof TelemetrySettingsError)) throw error;
  process.stderr.write(`Invalid configuration:\n  - ${error.message}\n`);
  process.exit(1);
}
