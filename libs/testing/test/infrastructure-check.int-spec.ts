import { findInfrastructureProblems, testSettings } from '@app/testing';

/** The test settings with `change` applied to the URL under `key`. */
function withUrl(key: 'rabbitmqUrl' | 'databaseUrl', change: (url: URL) => void) {
  const url = new URL(testSettings[key]);
  change(url);
  return { ...testSettings, [key]: url.toString() };
}

describe('infrastructure check (real RabbitMQ and PostgreSQL)', () => {
  it('finds nothing missing in the settings this run uses', async () => {
    await expect(findInfrastructureProblems()).resolves.toEqual([]);
  });

  it('tells a refused broker login from a broker that is not there', async () => {
    const settings = withUrl('rabbitmqUrl', (url) => {
      url.password = 'not-the-password';
    });

    const problems = await findInfrastructureProblems(settings);

    expect(problems).toEqual([
      expect.objectContaining({
        what: expect.stringMatching(/^RabbitMQ at /),
        reason: expect.stringContaining('ACCESS-REFUSED'),
        fix: 'check the user, password and virtual host in RABBITMQ_URL',
      }),
    ]);
  });

  it('names a database that does not exist, and where to fix it', async () => {
    const settings = withUrl('databaseUrl', (url) => {
      url.pathname = '/no_such_database';
    });

    await expect(findInfrastructureProblems(settings)).resolves.toEqual([
      expect.objectContaining({
        reason: 'database "no_such_database" does not exist (3D000)',
        fix: 'check the user, password and database in DATABASE_URL',
      }),
    ]);
  });
});
