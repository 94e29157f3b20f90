import type { Type } from '@nestjs/common';
import {
  PATTERN_EXTRAS_METADATA,
  PATTERN_HANDLER_METADATA,
  PATTERN_METADATA,
} from '@nestjs/microservices/constants';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import type { QueueDefinition } from '../topology/topology';
import type { HandlerExtras } from './message-controller.decorator';

/** One pattern of one message handler method, as its decorators declare it. */
export interface MessageRoute {
  /** `Class.method`. */
  handler: string;
  kind: 'event' | 'rpc';
  /** The contract, or its type, given to `@EventPattern` / `@MessagePattern`. */
  pattern: unknown;
  queue?: QueueDefinition;
}

/**
 * The message routes of a controller class, read from its decorators without booting Nest:
 * what its handlers consume and from which queue.
 */
export function messageRoutesOf(controller: Type): MessageRoute[] {
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype).flatMap((key) => {
    const method = prototype[key];
    if (typeof method !== 'function') return [];
    const handlerType = Reflect.getMetadata(PATTERN_HANDLER_METADATA, method) as
      PatternHandler | undefined;
    if (handlerType === undefined) return [];
    const patterns = (Reflect.getMetadata(PATTERN_METADATA, method) ?? []) as unknown[];
    const extras = Reflect.getMetadata(PATTERN_EXTRAS_METADATA, method) as
      HandlerExtras | undefined;
    return patterns.map((pattern) => ({
      handler: `${controller.name}.${key}`,
      kind: handlerType === PatternHandler.EVENT ? ('event' as const) : ('rpc' as const),
      pattern,
      queue: extras?.queue,
    }));
  });
}
