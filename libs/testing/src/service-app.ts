import { ConsumerHost } from '@app/messaging';
import { configureHttpApp } from '@app/platform';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { testLogLevel } from './test-environment';
import { waitFor } from './wait-for';

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
  const app = await NestFactory.create(await loadModule(), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  configureHttpApp(app);
  await app.init();
  await waitFor(
    () =>
      app
        .get(ConsumerHost)
        .status()
        .every((consumer) => consumer.consuming),
    {
      description: 'the service consumers to attach',
    },
  );
  return app;
}
