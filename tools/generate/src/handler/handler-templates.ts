/** Names of one generated handler method and the service it calls. */
export interface HandlerNames {
  service: string;
  /** The event's type and its contract's exported name. */
  type: string;
  contract: string;
  /** `order-paid`: the base name of the service and spec files. */
  file: string;
  /** `onOrderPaid`, the controller's method. */
  method: string;
  /** `OrderPaidService` and the controller's property holding it. */
  serviceClass: string;
  property: string;
  controller: string;
  controllerFile: string;
  topology: string;
  topologyFile: string;
  queueKey: string;
  queueName: string;
}

export const handlerMethod = (h: HandlerNames): string => `  @EventPattern(${h.contract})
  async ${h.method}(@Payload() event: ${h.contract}, @Ctx() context: MessageContext): Promise<void> {
    await this.${h.property}.handle(event, context);
  }`;

/** The service as an injected property, where tests construct the controller with its others. */
export const injectedProperty = (
  h: HandlerNames,
): string => `  /** A property, not a constructor parameter: the existing tests construct this controller. */
  @Inject(${h.serviceClass})
  private readonly ${h.property}!: ${h.serviceClass};
`;

/** A controller for a new queue, its first method added by the same edit as any other's. */
export const controllerFile = (
  h: HandlerNames,
): string => `import { MessageController } from '@app/messaging';
import { ${h.topology} } from '${h.topologyFile}';

/** What ${h.service} does with the messages on ${h.queueName}: one method per type, each calls a service. */
@MessageController(${h.topology}.queues.${h.queueKey})
export class ${h.controller} {}
`;

export const serviceFile = (
  h: HandlerNames,
): string => `import type { ${h.contract} } from '@app/contracts';
import type { MessageContext } from '@app/messaging';
import { Injectable, Logger } from '@nestjs/common';

/**
 * What ${h.service} does when ${h.type} arrives. It runs in the handler's transaction with the inbox
 * record: write through the service's repositories and publish with OutboxWriter.add, and all of it
 * commits once, or not at all (a redelivery is then skipped). Throw the domain's own errors; the
 * queue's failure policy (${h.service}.topology.ts) says which are permanent.
 */
@Injectable()
export class ${h.serviceClass} {
  private readonly logger = new Logger(${h.serviceClass}.name);

  handle(event: ${h.contract}, context: MessageContext): Promise<void> {
    this.logger.log(\`Handled ${h.type} \${context.messageId}: \${JSON.stringify(event)}\`);
    return Promise.resolve();
  }
}
`;

export const handlerSpec = (
  h: HandlerNames,
  example?: string,
): string => `import { ${h.contract} } from '@app/contracts';
import { messageRoutesOf, type MessageContext } from '@app/messaging';
import { ${h.topology} } from '${h.topologyFile}';
import { ${h.controller} } from './${h.controllerFile}';
import type { ${h.serviceClass} } from './${h.file}.service';

describe('${h.controller}.${h.method}', () => {
  ${example ? `const event: ${h.contract} = ${example};` : `// A valid ${h.type} payload: the schema asks for more than the generator could guess.\n  const event = {} as ${h.contract};`}
  const context = { messageId: 'message-1', correlationId: 'correlation-1' } as MessageContext;

  it('hands ${h.type} to ${h.serviceClass}', async () => {
    const service = { handle: jest.fn().mockResolvedValue(undefined) };
    // Only the property this method uses: the controller's other dependencies play no part.
    const handler = Object.create(${h.controller}.prototype) as ${h.controller};
    Object.assign(handler, { ${h.property}: service as unknown as ${h.serviceClass} });

    await handler.${h.method}(event, context);

    expect(service.handle).toHaveBeenCalledWith(event, context);
  });

  it('consumes ${h.type} from ${h.queueName}', () => {
    const route = messageRoutesOf(${h.controller}).find(({ pattern }) => pattern === ${h.contract});
    expect(route).toMatchObject({ kind: 'event', queue: ${h.topology}.queues.${h.queueKey} });
    expect(${h.topology}.queues.${h.queueKey}.name).toBe('${h.queueName}');
${example ? `    expect(${h.contract}.schema.safeParse(event).success).toBe(true);\n` : ''}  });
});
`;
