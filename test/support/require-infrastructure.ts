import { requireInfrastructure } from '../../libs/testing/src/infrastructure-check';

/** Global setup of the integration suite: RabbitMQ and PostgreSQL answer, or nothing runs. */
export default async function (): Promise<void> {
  await requireInfrastructure();
}
