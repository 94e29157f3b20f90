import { validateTopologyConfig } from './topology.config';
import { runTopology } from './topology.program';

describe('runTopology', () => {
  it('says what is wrong with a setting in one line, exit code 2, before touching the broker', async () => {
    const err: string[] = [];
    const code = await runTopology(['check'], {
      out: () => undefined,
      err: (text) => err.push(text),
      root: process.cwd(),
      config: () => validateTopologyConfig({ RETRY_DELAYS_MS: 'soon', QUEUE_MAX_LENGTH: '0' }),
    });
    expect(code).toBe(2);
    expect(err).toEqual([
      expect.stringMatching(
        /^error: Invalid configuration: RETRY_DELAYS_MS: .*; QUEUE_MAX_LENGTH: .*\n$/,
      ),
    ]);
    expect(err[0].trimEnd()).not.toContain('\n');
  });
});
