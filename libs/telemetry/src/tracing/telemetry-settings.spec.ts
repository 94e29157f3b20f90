import { readTelemetrySettings, TelemetrySettingsError } from './telemetry-settings';

describe('readTelemetrySettings', () => {
  it('names the service after its bundle and leaves export off by default', () => {
    expect(readTelemetrySettings({}, '/srv/app/dist/apps/payment/main.js')).toEqual({
      serviceName: 'payment',
      endpoint: undefined,
    });
  });

  it('takes OTEL_SERVICE_NAME and the endpoint, without a trailing slash', () => {
    const env = {
      OTEL_SERVICE_NAME: 'payment-eu',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/',
    };
    expect(readTelemetrySettings(env, 'dist/apps/payment/main.js')).toEqual({
      serviceName: 'payment-eu',
      endpoint: 'http://jaeger:4318',
    });
  });

  it('treats an empty endpoint as unset, so compose can switch tracing off', () => {
    expect(
      readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }, 'x/main.js').endpoint,
    ).toBeUndefined();
  });

  it('takes the scheme in any case, as the service’s own validation does', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'HTTP://jaeger:4318' };
    expect(readTelemetrySettings(env, 'x/main.js').endpoint).toBe('HTTP://jaeger:4318');
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() =>
      readTelemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318' }, 'x/main.js'),
    ).toThrow(
      new TelemetrySettingsError(
        'OTEL_EXPORTER_OTLP_ENDPOINT: must be a URL starting with http:// or https://',
      ),
    );
  });
});
