import { ManagementApi } from './management-api';

describe('ManagementApi', () => {
  it('keeps the credentials out of the location it prints', () => {
    const api = new ManagementApi('https://admin:S3cret%40pw@rabbit.example:15671/rabbitmq/');
    expect(api.location).toBe('https://rabbit.example:15671/rabbitmq');
    expect(api.location).not.toMatch(/admin|S3cret/);
  });

  it('keeps the host and port of a URL without a path', () => {
    expect(new ManagementApi('http://guest:guest@localhost:15672').location).toBe(
      'http://localhost:15672',
    );
  });
});
