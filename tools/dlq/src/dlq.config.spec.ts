import { ConfigValidationError } from '@app/platform';
import { validateDlqConfig } from './dlq.config';
import { oneLine } from './dlq.errors';

describe('dlq configuration', () => {
  it('defaults RABBITMQ_URL to the local broker, as the services do', () => {
    expect(validateDlqConfig({})).toEqual({
      RABBITMQ_URL: 'amqp://guest:guest@localhost:5672',
      RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@localhost:15672',
    });
    expect(validateDlqConfig({ RABBITMQ_URL: '' }).RABBITMQ_URL).toBe(
      'amqp://guest:guest@localhost:5672',
    );
  });

  it('accepts amqp and amqps URLs', () => {
    const url = 'amqps://user:pw@rabbit:5671/vhost';
    expect(validateDlqConfig({ RABBITMQ_URL: url }).RABBITMQ_URL).toBe(url);
  });

  it('accepts the nodes of one cluster as a comma-separated list', () => {
    const nodes = 'amqp://user:pw@rabbit-0:5672/shop,amqp://user:pw@rabbit-1:5672/shop';
    expect(validateDlqConfig({ RABBITMQ_URL: nodes }).RABBITMQ_URL).toBe(nodes);
  });

  it('names the variable of a bad value on one line, without echoing it', () => {
    let caught: unknown;
    try {
      validateDlqConfig({ RABBITMQ_URL: 'http://user:s3cret@rabbit' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigValidationError);
    expect(oneLine(caught)).toBe(
      'Invalid configuration: RABBITMQ_URL: must be a URL starting with amqp:// or amqps://, or a comma-separated list of them',
    );
  });
});
