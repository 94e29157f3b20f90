import { ConsumerHost } from '@app/messaging';
import { configureHttpApp, connectMessageTransport, startMessageTransport } from '@app/platform';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { testLogLevel } from './test-environment';
import { waitFor } from './wait-for';

/** Creates an application as `runService` does, initialises it and waits for its consumers. */
export async function bootInProcess(
  module: Type<unknown> | DynamicModule,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  try {
    configureHttpApp(app);
    connectMessageTransport(app);
    await startMessageTransport(app);
  } catch (error) {
    // A refused boot leaves nothing open behind it, as runService's does.
    await app.close().catch(() => undefined);
    throw error;
  }
  await waitFor(
    () =>
      app
        .get(ConsumerHost)
        .status()
        .every((consumer) => consumer.consuming),
    {
      description: 'the consumers to attach',
    },
  );
  return app;
}

/**
 * Boots a service module in-process, configured by `env` as its process would be. The module is
 * loaded after the environment is set because its ConfigModule validates at import; each jest
 * test file has its own module registry and environment, so one service per file is safe.
 */
export async function startServiceApp(
  loadModule: () => Promise<Type<unknown>>,
  env: Record<string, string>,
): Promise<INestApplication> {
  Object.assign(process.env, { LOG_LEVEL: testLogLevel, ...env });
  return bootInProcess(await loadModule());
}
