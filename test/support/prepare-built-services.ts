import { requireInfrastructure } from '../../libs/testing/src/infrastructure-check';
import buildIfStale from './build-if-stale';

/**
 * Global setup of the suites that run the built services: RabbitMQ and PostgreSQL answer (or
 * nothing runs, and nothing is built), then stale bundles are rebuilt.
 */
export default async function prepareBuiltServices(): Promise<void> {
  await requireInfrastructure();
  buildIfStale();
}
