import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { type DeadLetteredMessage, DeadLetterListener } from './dead-letter-listener';

/** Whether a provider's class extends DeadLetterListener, whatever its scope. */
function isListenerClass(wrapper: InstanceWrapper): boolean {
  const metatype = wrapper.metatype as { prototype?: unknown } | null;
  return metatype?.prototype instanceof DeadLetterListener;
}

/**
 * Every provider of the application that extends DeadLetterListener, told of each dead-lettered
 * message in turn, in the transaction that records its copy: a library's (the workflow library
 * fails a step) and the service's own (notification fails a delivery) side by side. One that
 * throws rolls back what the others wrote with the record; the copy is still made (see
 * DeadLetterRecord). A request- or transient-scoped listener stops boot: the consumers have no
 * request to build one for, and left alone it would never be told.
 */
@Injectable()
export class DeadLetterListeners implements OnModuleInit {
  private listeners: DeadLetterListener[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = new Set<DeadLetterListener>();
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.isDependencyTreeStatic()) {
        if (!isListenerClass(wrapper)) continue;
        throw new Error(
          `${wrapper.name} is a DeadLetterListener and request- or transient-scoped: a listener needs a singleton`,
        );
      }
      // A class, a value or a factory's product; one given under a second token (useExisting)
      // is the same instance, told once.
      if (wrapper.instance instanceof DeadLetterListener) found.add(wrapper.instance);
    }
    this.listeners = [...found];
  }

  /** The listeners found, in the order they are told. */
  get all(): readonly DeadLetterListener[] {
    return this.listeners;
  }

  async deadLettered(message: DeadLetteredMessage): Promise<void> {
    for (const listener of this.listeners) await listener.deadLettered(message);
  }
}
