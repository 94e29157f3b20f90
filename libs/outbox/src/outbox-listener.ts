import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { errorMessage } from '@app/messaging';

const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * Keeps a dedicated connection LISTENing on the outbox channel and calls `onNotify` for each
 * notification. When the connection drops it reconnects with backoff; meanwhile the relay's
 * polling keeps rows moving, only a little later.
 */
export class OutboxListener {
  private readonly logger = new Logger(OutboxListener.name);
  private client?: Client;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelayMs = 500;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly onNotify: () => void,
  ) {}

  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.connectionString,
      application_name: this.channel,
    });
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      this.onLost(client, error);
      return;
    }
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    this.reconnectDelayMs = 500;
    // Rows committed while we were not listening would otherwise wait for the next poll.
    this.onNotify();
  }

  private onLost(client: Client, error: unknown): void {
    if (this.stopped || this.reconnectTimer !== undefined) return;
    if (this.client === client) this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.logger.warn(
      `Outbox listener lost its connection (${errorMessage(error)}); reconnecting in ${this.reconnectDelayMs} ms`,
    );
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
  }
}
