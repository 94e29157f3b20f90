import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import type * as CorrelationLogging from './correlation-logging';
import { correlationLogMixin, logUnderCorrelationId } from './correlation-logging';

/** Builds the logger settings for `format` in a fresh module registry; whether pino-pretty loaded. */
function loadsPinoPretty(format: 'json' | 'pretty'): boolean {
  let loaded = false;
  jest.isolateModules(() => {
    jest.doMock('pino-pretty', () => {
      loaded = true;
      return jest.requireActual<object>('pino-pretty');
    });
    const { loggerParams } = jest.requireActual<typeof CorrelationLogging>('./correlation-logging');
    loggerParams({ service: 'order', level: 'info', format });
  });
  return loaded;
}

describe('loggerParams', () => {
  afterEach(() => jest.dontMock('pino-pretty'));

  // pino-pretty and its dependencies are about a megabyte of an idle service's memory.
  it('leaves pino-pretty unloaded when the lines are JSON', () => {
    expect(loadsPinoPretty('json')).toBe(false);
  });

  it('loads pino-pretty for human-readable lines', () => {
    expect(loadsPinoPretty('pretty')).toBe(true);
  });
});

describe('logUnderCorrelationId', () => {
  const cls = ClsServiceManager.getClsService();

  it('writes the line with the id, and leaves the caller outside any context', () => {
    const seen: Record<string, string>[] = [];
    logUnderCorrelationId('order-7', () => seen.push(correlationLogMixin()));
    expect(seen).toEqual([expect.objectContaining({ correlationId: 'order-7' })]);
    expect(cls.isActive()).toBe(false);
  });

  it("puts it in place of the caller's own for that line only", () => {
    const seen: unknown[] = [];
    cls.run(() => {
      cls.set(CLS_ID, 'request-1');
      logUnderCorrelationId('order-7', () => seen.push(cls.getId()));
      seen.push(cls.getId());
    });
    expect(seen).toEqual(['order-7', 'request-1']);
  });

  it('writes the line as it is when the message has no id to give it', () => {
    const seen: unknown[] = [];
    logUnderCorrelationId(undefined, () => seen.push(correlationLogMixin()));
    expect(seen).toEqual([{}]);
  });
});
