import { Periodic } from './periodic.decorator';
import { HourlyJob, periodicJobs, usePeriodicJobs, wrapped } from './periodic-jobs.fixture';

describe('PeriodicJobs: finding jobs, and refusing the ones it cannot run', () => {
  usePeriodicJobs();

  it('refuses two jobs of one name', async () => {
    const twice = periodicJobs([wrapped(new HourlyJob()), wrapped(new HourlyJob())]);
    await expect(twice.onApplicationBootstrap()).rejects.toThrow(
      'Two periodic jobs are named hourly',
    );
  });

  it('finds once the jobs of one instance provided under a second token (useExisting)', async () => {
    const instance = new HourlyJob();
    const aliased = periodicJobs([wrapped(instance), wrapped(instance)]);
    await aliased.onApplicationBootstrap();
    expect(aliased.names()).toEqual(['hourly']);
    await aliased.beforeApplicationShutdown();
  });

  it('runs a job declared on a controller, as on a provider', async () => {
    const onController = periodicJobs([], [wrapped(new HourlyJob())]);
    await onController.onApplicationBootstrap();
    expect(onController.names()).toEqual(['hourly']);
    await onController.beforeApplicationShutdown();
  });

  it('stops boot on a job of a request-scoped class, naming it, instead of never running it', async () => {
    const scoped = periodicJobs([{ ...wrapped(new HourlyJob(), false), instance: undefined }]);
    await expect(scoped.onApplicationBootstrap()).rejects.toThrow(
      '@Periodic HourlyJob.work: a periodic job needs a singleton',
    );
  });
});

describe('@Periodic', () => {
  it('refuses a name that is not kebab-case and a cron expression that does not parse', () => {
    expect(() => Periodic('Prune Outbox', '0 * * * *')).toThrow(/kebab-case/);
    expect(() => Periodic('prune-outbox', 'hourly please')).toThrow();
  });
});
