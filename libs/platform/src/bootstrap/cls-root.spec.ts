import type { DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ClsModule, ClsService } from 'nestjs-cls';
import { clsRootModule } from './cls-root';

const enhancersOf = (module: DynamicModule): unknown[] =>
  (module.imports as DynamicModule[])
    .flatMap((imported) => imported.providers ?? [])
    .map((provider) => (typeof provider === 'object' ? provider.provide : provider))
    .filter((token) => token === APP_GUARD || token === APP_INTERCEPTOR);

describe('clsRootModule', () => {
  it('drops the guard and interceptor that ClsModule.forRoot registers app-wide', () => {
    expect(enhancersOf(ClsModule.forRoot({ global: true }))).toEqual([APP_GUARD, APP_INTERCEPTOR]);
    expect(enhancersOf(clsRootModule({ global: true }))).toEqual([]);
  });

  it('still provides a working ClsService', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [clsRootModule({ global: true })],
    }).compile();
    const cls = moduleRef.get(ClsService);
    const read = cls.run(() => {
      cls.set('key', 'value');
      return cls.get<string>('key');
    });
    expect(read).toBe('value');
    await moduleRef.close();
  });
});
