import type { DynamicModule, ForwardReference, Provider, Type } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ClsModule, type ClsModuleOptions } from 'nestjs-cls';

type Import = Type | DynamicModule | Promise<DynamicModule> | ForwardReference;

const APP_ENHANCERS: unknown[] = [APP_GUARD, APP_INTERCEPTOR];

/**
 * `ClsModule.forRoot` without the app-wide guard and interceptor that nestjs-cls registers
 * whatever the options say. Left unmounted (the HTTP middleware and the consumers open the
 * context, never they), they are no-ops that every request and every message handler still went
 * through; the interceptor also put each handler's result through one more rxjs layer.
 */
export function clsRootModule(
  options: ClsModuleOptions & { guard?: { mount?: false }; interceptor?: { mount?: false } },
): DynamicModule {
  const module = ClsModule.forRoot(options);
  return { ...module, imports: module.imports?.map(withoutAppEnhancers) };
}

function withoutAppEnhancers(imported: Import): Import {
  if (!isDynamicModule(imported) || imported.module.name !== 'ClsRootModule') return imported;
  const providers = imported.providers?.filter((provider) => !isAppEnhancer(provider));
  return { ...imported, providers };
}

function isDynamicModule(imported: Import): imported is DynamicModule {
  return typeof imported === 'object' && 'module' in imported;
}

function isAppEnhancer(provider: Provider): boolean {
  return typeof provider === 'object' && APP_ENHANCERS.includes(provider.provide);
}
