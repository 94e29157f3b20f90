import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { PERIODIC_JOB, type PeriodicJobDefinition } from './periodic.decorator';
import type { PeriodicJob } from './periodic-job.runner';

/** Finds the application's @Periodic methods, each bound to the one instance of its class. */
@Injectable()
export class PeriodicJobDiscovery {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /**
   * Every @Periodic method of the application's providers and controllers; an instance provided
   * under a second token too (`useExisting`) is one class's jobs, found once.
   */
  jobs(): PeriodicJob[] {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    const seen = new Set<unknown>();
    const once = wrappers.filter(({ instance }: InstanceWrapper) => {
      if (!instance || typeof instance !== 'object') return true;
      if (seen.has(instance)) return false;
      seen.add(instance);
      return true;
    });
    return once.flatMap((wrapper) => this.jobsOf(wrapper));
  }

  /**
   * A class's @Periodic methods. One on a request- or transient-scoped class stops boot: there is
   * no single instance for its timer to call, and left alone it would never run.
   */
  private jobsOf(wrapper: InstanceWrapper): PeriodicJob[] {
    const instance: unknown = wrapper.instance;
    const prototype =
      instance && typeof instance === 'object'
        ? (Object.getPrototypeOf(instance) as object | null)
        : ((wrapper.metatype as { prototype?: object } | null)?.prototype ?? null);
    if (!prototype) return [];
    const found = this.scanner.getAllMethodNames(prototype).flatMap((method) => {
      const handler = (prototype as Record<string, unknown>)[method];
      if (typeof handler !== 'function') return [];
      const definition = this.reflector.get<PeriodicJobDefinition | undefined>(
        PERIODIC_JOB,
        handler,
      );
      return definition ? [{ method, handler, definition }] : [];
    });
    if (found.length === 0) return [];
    if (!wrapper.isDependencyTreeStatic() || !instance) {
      throw new Error(
        `@Periodic ${wrapper.name}.${found[0].method}: a periodic job needs a singleton, and ${wrapper.name} is request- or transient-scoped`,
      );
    }
    // A method that throws before its first await still becomes a rejected run.
    return found.map(({ handler, definition }) => ({
      ...definition,
      run: (tick: Date) => new Promise<unknown>((resolve) => resolve(handler.call(instance, tick))),
    }));
  }
}
