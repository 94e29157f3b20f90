import { BENCH_USAGE, parseArguments } from './settings';

describe('parseArguments', () => {
  it('runs the full bench with tracing when given nothing', () => {
    expect(parseArguments([])).toEqual({
      mode: 'full',
      profile: false,
      tracing: true,
      help: false,
    });
  });

  it('reads every option it documents', () => {
    expect(
      parseArguments(['--quick', '--profile', '--without-tracing', '--only=consume,rpc']),
    ).toEqual({
      mode: 'quick',
      profile: true,
      tracing: false,
      help: false,
      only: ['consume', 'rpc'],
    });
  });

  it.each(['--help', '-h'])('asks for the usage with %s, which names every option', (flag) => {
    expect(parseArguments([flag]).help).toBe(true);
    for (const option of ['--quick', '--only=', '--profile', '--without-tracing', '--help']) {
      expect(BENCH_USAGE).toContain(option);
    }
  });

  it('refuses an argument it does not know, naming it and --help', () => {
    expect(() => parseArguments(['--fast'])).toThrow(/Unknown argument --fast .*--help/);
  });

  it('refuses an unknown scenario in --only, listing the known ones', () => {
    expect(() => parseArguments(['--only=consume,latency'])).toThrow(
      '--only takes scenarios among publish, consume, rpc, end-to-end, memory',
    );
  });
});
