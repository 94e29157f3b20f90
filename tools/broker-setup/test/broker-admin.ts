import { testSettings } from '@app/testing';
import { connect, type ConfirmChannel } from 'amqplib';

/**
 * What the broker-setup tests do as the broker's administrator and as a service user: the
 * management URL with admin credentials, reading users back, removing test users, and trying an
 * AMQP operation to see whether the broker allows it.
 */

/** The admin's management URL, credentials included, found as the test helpers find it. */
export function adminManagementUrl(): string {
  const amqp = new URL(testSettings.rabbitmqUrl);
  const management = new URL(testSettings.managementUrl ?? `http://${amqp.hostname}:15672`);
  if (!management.username) {
    management.username = amqp.username || 'guest';
    management.password = amqp.password || 'guest';
  }
  return management.toString().replace(/\/$/, '');
}

/** The management API's location without credentials, as the tool prints it. */
export function managementLocation(): string {
  const url = new URL(adminManagementUrl());
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The `authorization` header of a user of the management API. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

async function asAdmin(method: string, path: string): Promise<Response> {
  const url = new URL(adminManagementUrl());
  const user = decodeURIComponent(url.username);
  const authorization = basicAuthorization(user, decodeURIComponent(url.password));
  return fetch(`${managementLocation()}/api/${path}`, { method, headers: { authorization } });
}

/** A management API resource as JSON, or undefined when it does not exist. */
export async function managementGet(path: string): Promise<unknown> {
  const response = await asAdmin('GET', path);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`GET /api/${path} answered ${response.status}`);
  return response.json();
}

/** Users are global, so a test removes the ones it created; a missing one is fine. */
export async function deleteUsers(names: string[]): Promise<void> {
  for (const name of names) await asAdmin('DELETE', `users/${encodeURIComponent(name)}`);
}

/** The virtual host an isolated broker URL points at. */
export function vhostOf(amqpUrl: string): string {
  return decodeURIComponent(new URL(amqpUrl).pathname.slice(1));
}

/** The same broker and virtual host, as another user. */
export function amqpUrlAs(amqpUrl: string, user: string, password: string): string {
  const url = new URL(amqpUrl);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  return url.toString();
}

/**
 * Runs `work` on a fresh connection and confirm channel and reports `'ok'`, or the broker's
 * reason for refusing it (a refused operation closes the channel with that reason).
 */
export async function amqpOutcome(
  url: string,
  work: (channel: ConfirmChannel) => Promise<unknown>,
): Promise<string> {
  const connection = await connect(url);
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createConfirmChannel();
    let closedWith: Error | undefined;
    channel.on('error', (error: Error) => (closedWith = error));
    try {
      await work(channel);
      return 'ok';
    } catch (error) {
      return (closedWith ?? (error as Error)).message;
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** Publishes one message and waits for the broker's confirm, which a refusal never gives. */
export async function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
): Promise<void> {
  channel.publish(exchange, routingKey, Buffer.from('{}'));
  await channel.waitForConfirms();
}
