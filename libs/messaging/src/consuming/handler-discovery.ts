import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  ANSWER_RPC,
  type AnswerRpcMetadata,
  HANDLE_MESSAGE,
  type HandleMessageMetadata,
} from './handle-message.decorator';

export interface Discovered<TMeta> {
  meta: TMeta;
  name: string;
  invoke: (...args: unknown[]) => Promise<unknown>;
}

/** Finds the provider methods marked with @HandleMessage or @AnswerRpc. */
@Injectable()
export class HandlerDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  messageHandlers(): Discovered<HandleMessageMetadata>[] {
    return this.find<HandleMessageMetadata>(HANDLE_MESSAGE);
  }

  rpcResponders(): Discovered<AnswerRpcMetadata>[] {
    return this.find<AnswerRpcMetadata>(ANSWER_RPC);
  }

  private find<TMeta>(key: symbol): Discovered<TMeta>[] {
    const found: Discovered<TMeta>[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName] as (...args: unknown[]) => unknown;
        const meta = this.reflector.get<TMeta | undefined>(key, method);
        if (meta === undefined) continue;
        found.push({
          meta,
          name: `${instance.constructor.name}.${methodName}`,
          invoke: async (...args: unknown[]) => await method.apply(instance, args),
        });
      }
    }
    return found;
  }
}
