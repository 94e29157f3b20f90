import { type MessageRoute, messageRoutesOf } from '@app/messaging';
import type { ServiceDefinition } from '@app/services';
import type { DynamicModule, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';

/**
 * A service's message routes, read from the `@MessageController` classes its app module (and the
 * modules it imports) registers, without booting it. The module is found by the layout every
 * service follows, `apps/<name>/src/<name>.module.ts`, so a new service's handlers are read as
 * soon as its definition is in the registry.
 */
export function messageRoutesOfService(service: Pick<ServiceDefinition, 'name'>): MessageRoute[] {
  return controllersOf(appModuleOf(service.name)).flatMap((controller) =>
    messageRoutesOf(controller),
  );
}

function appModuleOf(name: string): Type {
  // A path the bundler resolves at build time, so every app's module is in the tool's bundle;
  // an import() would be split into chunks beside it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exports = require(`../../../../apps/${name}/src/${name}.module`) as Record<string, unknown>;
  const found = Object.values(exports).find(
    (value): value is Type =>
      typeof value === 'function' && Reflect.hasMetadata(MODULE_METADATA.CONTROLLERS, value),
  );
  if (!found) throw new Error(`apps/${name}/src/${name}.module.ts exports no Nest module`);
  return found;
}

type Imported = Type | DynamicModule | Promise<DynamicModule> | undefined;

/** Every controller of a module and of the modules it imports, each once. */
function controllersOf(module: Type, seen = new Set<unknown>()): Type[] {
  if (seen.has(module)) return [];
  seen.add(module);
  const own = (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as Type[];
  const imports = (Reflect.getMetadata(MODULE_METADATA.IMPORTS, module) ?? []) as Imported[];
  return [...own, ...imports.flatMap((imported) => importedControllers(imported, seen))];
}

function importedControllers(imported: Imported, seen: Set<unknown>): Type[] {
  if (!imported) return [];
  if (imported instanceof Promise) {
    // An async dynamic module (ConfigModule.forRoot validates the environment): not a handler's
    // home, and its outcome is the service's business, not this reader's.
    imported.catch(() => undefined);
    return [];
  }
  if (typeof imported === 'function') return controllersOf(imported, seen);
  return [...(imported.controllers ?? []), ...controllersOf(imported.module, seen)];
}
