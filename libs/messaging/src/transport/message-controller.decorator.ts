import { applyDecorators, Controller } from '@nestjs/common';
import { PATTERN_EXTRAS_METADATA, PATTERN_HANDLER_METADATA } from '@nestjs/microservices/constants';
import type { QueueDefinition } from '../topology/topology';

/** What a handler's pattern extras carry to the transport. */
export interface HandlerExtras {
  /** The queue the handler consumes, from the service topology. */
  queue?: QueueDefinition;
  /** `Class.method`, for boot errors. */
  handler?: string;
}

/**
 * A controller of message handlers on one queue of the service topology: its `@EventPattern`
 * (events and jobs) or `@MessagePattern` (RPC) methods consume that queue. The queue reaches
 * the transport in each pattern's extras; a pattern without a queue stops boot.
 */
export function MessageController(queue: QueueDefinition): ClassDecorator {
  return applyDecorators(Controller(), (target: object) => {
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const key of Object.getOwnPropertyNames(prototype)) {
      const method = prototype[key];
      if (typeof method !== 'function') continue;
      if (Reflect.getMetadata(PATTERN_HANDLER_METADATA, method) === undefined) continue;
      // A queue given in the pattern's own extras wins over the controller's.
      const extras: HandlerExtras = {
        queue,
        handler: `${(target as { name: string }).name}.${key}`,
        ...(Reflect.getMetadata(PATTERN_EXTRAS_METADATA, method) as HandlerExtras | undefined),
      };
      Reflect.defineMetadata(PATTERN_EXTRAS_METADATA, extras, method);
    }
  });
}
