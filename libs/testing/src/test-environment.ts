export interface TestSettings {
  rabbitmqUrl: string;
  databaseUrl: string;
  managementUrl?: string;
  /** RabbitMQ's own metrics (rabbitmq_prometheus); port 15692 on the broker's host by default. */
  brokerMetricsUrl?: string;
}

/** Where the test run finds RabbitMQ and PostgreSQL: the same variables the services use. */
export const testSettings: TestSettings = {
  rabbitmqUrl: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@localhost:5672',
  // The password is ignored by a local server with trust authentication and matches the
  // compose file's default, so the same default works against either.
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres',
  /** The management API creates a virtual host per test file; derived from RABBITMQ_URL by default. */
  managementUrl: process.env.RABBITMQ_MANAGEMENT_URL,
  brokerMetricsUrl: process.env.RABBITMQ_PROMETHEUS_URL,
};

/** In-process services log at this level; TEST_LOG_LEVEL=info shows their story while debugging. */
export const testLogLevel = process.env.TEST_LOG_LEVEL ?? 'silent';
