import { createIsolatedBroker } from './isolated-broker';
import { createIsolatedDatabase } from './isolated-database';

/** A virtual host and a database of one test file's own, as the services' environment. */
export interface Isolation {
  env: { RABBITMQ_URL: string; DATABASE_URL: string };
  vhost: string;
  dispose(): Promise<void>;
}

export async function isolate(label: string): Promise<Isolation> {
  const broker = await createIsolatedBroker(label);
  try {
    const database = await createIsolatedDatabase(label);
    return {
      env: { RABBITMQ_URL: broker.url, DATABASE_URL: database.url },
      vhost: broker.vhost,
      dispose: async () => {
        await broker.dispose();
        await database.dispose();
      },
    };
  } catch (error) {
    await broker.dispose();
    throw error;
  }
}
