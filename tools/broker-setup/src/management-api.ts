import { fetchFailure, managementAddress } from '@app/messaging';
import type { Definitions } from './definitions';

/** A failure the user can act on; main prints its message as one line. */
export class BrokerSetupError extends Error {
  override name = 'BrokerSetupError';
}

const REQUEST_TIMEOUT_MS = 10_000;
const MAX_REASON_LENGTH = 300;

/** The management API without the credentials in its URL: those go into a header only. */
export class ManagementApi {
  /** The URL without credentials, safe to print. */
  readonly location: string;
  private readonly authorization?: string;

  constructor(url: string) {
    ({ location: this.location, authorization: this.authorization } = managementAddress(url));
  }

  /**
   * Users are global and permissions per virtual host, so both go through the global endpoint
   * (`/api/definitions/<vhost>` ignores users). It merges: other users stay as they are. The
   * virtual host is checked first because the broker imports the users before it rejects
   * permissions on a missing one.
   */
  async apply(vhost: string, definitions: Definitions): Promise<void> {
    await this.request('GET', `vhosts/${encodeURIComponent(vhost)}`, undefined, {
      404: `RabbitMQ has no virtual host "${vhost}": create it or set RABBITMQ_VHOST`,
    });
    await this.request('POST', 'definitions', definitions);
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    explanations: Record<number, string> = {},
  ): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.location}/api/${path}`, {
        method,
        headers: {
          ...(this.authorization && { authorization: this.authorization }),
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new BrokerSetupError(
        `The RabbitMQ management API at ${this.location} is unreachable (${fetchFailure(error)})`,
      );
    }
    if (response.ok) return;
    throw new BrokerSetupError(
      explanations[response.status] ?? (await this.refusal(method, path, response)),
    );
  }

  private async refusal(method: string, path: string, response: Response): Promise<string> {
    if (response.status === 401) {
      return `The RabbitMQ management API at ${this.location} refused the credentials of RABBITMQ_MANAGEMENT_URL (401)`;
    }
    if (response.status === 403) {
      return `The user of RABBITMQ_MANAGEMENT_URL may not ${method} /api/${path} (403): it needs the administrator tag`;
    }
    return `RabbitMQ management ${method} /api/${path} answered ${response.status}: ${await reasonOf(response)}`;
  }
}

async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let reason: unknown = text;
  try {
    reason = (JSON.parse(text) as { reason?: unknown }).reason ?? text;
  } catch {
    // Not JSON: the text as it is.
  }
  const line = (typeof reason === 'string' ? reason : JSON.stringify(reason)).replace(/\s+/g, ' ');
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}
