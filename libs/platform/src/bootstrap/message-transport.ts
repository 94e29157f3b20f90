import type { INestApplication } from '@nestjs/common';
import type { CustomTransportStrategy, MicroserviceOptions } from '@nestjs/microservices';

/** The messaging library's Nest transport strategy, provided by its module. */
export const TRANSPORT_STRATEGY = Symbol('TRANSPORT_STRATEGY');

/**
 * Makes the app a hybrid HTTP + messaging app: the message transport becomes its microservice
 * and the message handlers share the app's global pipes, guards, interceptors and filters.
 * Call it after those are registered (configureHttpApp): Nest binds the global enhancers when
 * it registers the handlers, here.
 */
export function connectMessageTransport(app: INestApplication): void {
  const strategy = app.get<CustomTransportStrategy>(TRANSPORT_STRATEGY, { strict: false });
  app.connectMicroservice<MicroserviceOptions>({ strategy }, { inheritAppConfig: true });
}

/**
 * Runs the lifecycle hooks (migrations first), then starts the consumers: a handler never
 * meets a database that is not migrated yet.
 */
export async function startMessageTransport(app: INestApplication): Promise<void> {
  await app.init();
  await app.startAllMicroservices();
}
