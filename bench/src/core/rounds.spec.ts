import { runRounds } from './rounds';
import { type Journal, runScenario } from './scenario';

jest.mock('./log', () => ({ progress: jest.fn() }));

/** Three sides recording the position each ran at in its round. */
function positionSides(order: string[]) {
  const side = (name: string) => (round: number) => {
    order.push(name);
    return Promise.resolve({ round, position: (order.length - 1) % 3 });
  };
  return { raw: side('raw'), starter: side('starter'), rawInbox: side('rawInbox') };
}

/** Six rounds of the three position-recording sides, no warm-up. */
const sixRounds = () =>
  runRounds({
    label: 'test',
    rounds: 6,
    warmup: false,
    journal: {},
    sides: positionSides([]),
    describe: () => '',
  });

describe('runRounds', () => {
  it('runs each side first, second and last equally often over six rounds', async () => {
    const results = await sixRounds();
    for (const rounds of Object.values(results)) {
      const positions = rounds.map((value) => value.position).sort();
      expect(positions).toEqual([0, 0, 1, 1, 2, 2]);
    }
  });

  it('runs each pair of sides in either order equally often over six rounds', async () => {
    const results = await sixRounds();
    const pairs = [
      ['starter', 'rawInbox'],
      ['starter', 'raw'],
      ['raw', 'rawInbox'],
    ] as const;
    for (const [first, second] of pairs) {
      const earlier = results[first].filter(
        (value, round) => value.position < results[second][round].position,
      );
      expect(earlier).toHaveLength(3);
    }
  });

  it('leaves the warm-up out of the results', async () => {
    const order: string[] = [];
    const results = await runRounds({
      label: 'test',
      rounds: 1,
      warmup: true,
      journal: {},
      sides: positionSides(order),
      describe: () => '',
    });
    expect(order).toHaveLength(6);
    expect(results.raw.map((value) => value.round)).toEqual([0]);
  });
});

describe('runScenario', () => {
  it('keeps the rounds a scenario finished when a later round fails', async () => {
    let calls = 0;
    const failing = () =>
      ++calls > 2 ? Promise.reject(new Error('broker gone')) : Promise.resolve(calls);
    const result = await runScenario('consume', async (journal: Journal) => {
      await runRounds({
        label: 'consume',
        rounds: 3,
        warmup: false,
        journal,
        sides: { raw: failing, starter: failing },
        describe: String,
      });
      return { rows: [], details: {} };
    });
    expect(result).toMatchObject({
      status: 'failed',
      error: 'broker gone',
      details: { rounds: { raw: [1], starter: [2] } },
    });
  });
});
