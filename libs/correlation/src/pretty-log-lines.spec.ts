import pino from 'pino';
import { prettyDestination } from './pretty-log-lines';

/** Logs through pino into a pretty destination and returns what reached the terminal. */
function printed(log: (logger: pino.Logger) => void, colorize = false): string[] {
  const written: string[] = [];
  const logger = pino(
    { base: { service: 'order' }, timestamp: () => ',"time":1793872800123' },
    prettyDestination({ write: (line: string) => written.push(line) }, colorize),
  );
  log(logger);
  return written.join('').split('\n').filter(Boolean);
}

const TIME = /^\[\d\d:\d\d:\d\d\.\d{3}\] /;

describe('pretty log lines', () => {
  it('shows time, level, [Context], the message and the correlation id on one line', () => {
    const [line] = printed((logger) =>
      logger.info(
        { context: 'CreateOrderService', correlationId: 'checkout-1234', traceId: 'abc' },
        'Order 42 placed',
      ),
    );

    expect(line).toMatch(TIME);
    expect(line.replace(TIME, '')).toBe(
      'INFO: [CreateOrderService] Order 42 placed correlationId=checkout-1234',
    );
  });

  it('shows terminal controls a message quotes from a client as escapes', () => {
    // A JSON parse error quotes the body: here an OSC title sequence a publisher sent.
    const [line] = printed((logger) =>
      logger.error(
        { context: 'FailureRouter', correlationId: 'c-\u001b[2J' },
        'Dead-lettered: Unexpected token \'\u001b\', "\u001b]0;owned\u0007" is not valid JSON',
      ),
    );

    expect(line.replace(TIME, '')).toBe(
      "ERROR: [FailureRouter] Dead-lettered: Unexpected token '\\u001b', " +
        '"\\u001b]0;owned\\u0007" is not valid JSON correlationId=c-\\u001b[2J',
    );
  });

  it('reads a request log as method, path, status and duration', () => {
    const [line] = printed((logger) =>
      logger.info(
        {
          correlationId: 'c-1',
          req: { method: 'POST', url: '/orders' },
          res: { statusCode: 202 },
          responseTime: 12,
        },
        'request completed',
      ),
    );

    expect(line.replace(TIME, '')).toBe('INFO: POST /orders 202 in 12 ms correlationId=c-1');
  });

  it('keeps other fields on the line, and an error stack below it', () => {
    const lines = printed((logger) =>
      logger.error({ err: new Error('broker gone'), queue: 'payment.order-created' }, 'Failed'),
    );

    expect(lines[0]).toContain('ERROR: Failed');
    expect(lines[0]).toContain('"queue":"payment.order-created"');
    expect(lines.join('\n')).toMatch(/Error: broker gone\n\s+at /);
  });

  it('writes an error’s message and stack, the stack below, without their terminal controls', () => {
    // pino-pretty's own: the error's fields are JSON (escaped), its stack stripped of controls.
    const quoted = new Error('Unexpected token in "\u001b]0;owned\u0007"');
    const lines = printed((logger) => logger.error({ err: quoted }, 'Failed'));
    const output = lines.join('\n');

    expect(output).not.toContain('\u001b');
    expect(output).not.toContain('\u0007');
    expect(output).toMatch(/\n\s+at /);
  });

  it('colours the level and the context when the terminal takes colours', () => {
    const [line] = printed((logger) => logger.warn({ context: 'Relay' }, 'slow'), true);

    expect(line).toContain('\u001b[33m[Relay] ');
  });
});
