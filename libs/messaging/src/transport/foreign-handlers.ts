import { RABBIT_HANDLER } from '@golevelup/nestjs-rabbitmq';
import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';

const NATIVE_EQUIVALENT: Record<string, string> = {
  subscribe: '@RabbitSubscribe, use @EventPattern(<contract>)',
  rpc: '@RabbitRPC, use @MessagePattern(<contract>)',
};

function prototypeOf(wrapper: InstanceWrapper): Record<string, unknown> | undefined {
  const instance: unknown = wrapper.instance;
  if (instance && typeof instance === 'object') {
    return Object.getPrototypeOf(instance) as Record<string, unknown>;
  }
  const { metatype } = wrapper;
  return typeof metatype === 'function'
    ? (metatype.prototype as Record<string, unknown> | undefined)
    : undefined;
}

/**
 * golevelup's own handler decorators are never registered here (its handler discovery is off:
 * handlers go through the Nest transport), so a method using them would silently receive
 * nothing. Boot stops instead, naming the method and what to write.
 */
@Injectable()
export class ForeignHandlerCheck {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  assertNone(): void {
    const wrappers = [...this.discovery.getControllers(), ...this.discovery.getProviders()];
    for (const wrapper of wrappers) {
      const prototype = prototypeOf(wrapper);
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const meta = Reflect.getMetadata(RABBIT_HANDLER, prototype[method] as object) as
          { type?: string } | undefined;
        if (meta === undefined) continue;
        const advice =
          NATIVE_EQUIVALENT[meta.type ?? ''] ?? "golevelup's handler decorators, use @EventPattern";
        throw new Error(
          `${wrapper.name}.${method} uses ${advice} on a @MessageController(<queue>) instead: golevelup's handlers are not registered in this project`,
        );
      }
    }
  }
}
