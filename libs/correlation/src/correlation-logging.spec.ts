import type * as CorrelationLogging from './correlation-logging';

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
