import { managementEndpoint } from '@app/testing';

export async function rabbitmqVersion(): Promise<string> {
  const { base, authorization } = managementEndpoint();
  const response = await fetch(`${base}/api/overview`, { headers: { authorization } });
  if (!response.ok)
    throw new Error(`RabbitMQ management /api/overview answered ${response.status}`);
  const overview = (await response.json()) as {
    rabbitmq_version?: string;
    erlang_version?: string;
  };
  return `RabbitMQ ${overview.rabbitmq_version ?? '?'} (Erlang ${overview.erlang_version ?? '?'})`;
}
