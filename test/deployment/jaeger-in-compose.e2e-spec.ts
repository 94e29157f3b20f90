import { readTelemetrySettings } from '../../libs/telemetry/src/tracing/telemetry-settings';
import { APPS, CONFIG } from './app-configs';
import { compose, composeEnvironment, publishedPorts, service } from './compose';

/**
 * The jaeger service in docker-compose.yml, and where the application services send their traces:
 * checked without a Docker engine against the services' own telemetry settings and config schemas.
 */

describe('docker-compose.yml: jaeger and the services tracing to it', () => {
  it('is Jaeger v2 all-in-one, pinned, whose default configuration receives OTLP on the network', () => {
    const jaeger = service('jaeger');
    // v2 receives OTLP (gRPC 4317, HTTP 4318) with its built-in configuration; v1's all-in-one
    // needed COLLECTOR_OTLP_ENABLED.
    expect(jaeger.image).toMatch(/^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    expect(jaeger.command).toBeUndefined();
    // The host v2's configuration binds its receivers to; localhost would refuse the services.
    expect(composeEnvironment('jaeger').JAEGER_LISTEN_HOST).toBe('0.0.0.0');
    expect(publishedPorts('jaeger')).toContainEqual({
      hostIp: '127.0.0.1',
      hostPort: 16686,
      containerPort: 16686,
    });
  });

  it.each(APPS)(
    "%s sends its traces to jaeger's OTLP/HTTP port by default; set empty, tracing is off",
    (app) => {
      const endpointOf = (variables: Record<string, string>) =>
        readTelemetrySettings(composeEnvironment(app, variables), `dist/apps/${app}/main.js`)
          .endpoint;

      const endpoint = new URL(endpointOf({}) ?? 'http://unset');
      expect([endpoint.protocol, endpoint.hostname, endpoint.port]).toEqual([
        'http:',
        'jaeger',
        '4318',
      ]);
      expect(compose.services).toHaveProperty('jaeger');
      // The service's own schema takes it too.
      expect(CONFIG[app].validate(composeEnvironment(app)).OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
        'http://jaeger:4318',
      );

      // OTEL_EXPORTER_OTLP_ENDPOINT= in .env switches tracing off; another value replaces it.
      expect(composeEnvironment(app, { OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toHaveProperty(
        'OTEL_EXPORTER_OTLP_ENDPOINT',
        '',
      );
      expect(endpointOf({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBeUndefined();
      expect(
        CONFIG[app].validate(composeEnvironment(app, { OTEL_EXPORTER_OTLP_ENDPOINT: '' }))
          .OTEL_EXPORTER_OTLP_ENDPOINT,
      ).toBeUndefined();
      expect(endpointOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318' })).toBe(
        'https://collector.example:4318',
      );
    },
  );
});
