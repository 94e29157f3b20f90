import { TracingProblems } from './tracing-problems';

describe('TracingProblems', () => {
  let clock: number;
  let told: string[];
  let problems: TracingProblems;

  beforeEach(() => {
    clock = 0;
    told = [];
    problems = new TracingProblems(() => clock);
  });

  it('holds a problem from before boot until the logger listens, then tells it', () => {
    problems.report(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    expect(told).toEqual([]);
    problems.listen((text) => told.push(text));
    expect(told).toEqual([
      'OpenTelemetry: connect ECONNREFUSED 127.0.0.1:4318; the spans concerned are dropped',
    ]);
  });

  it('tells at most one line a minute, counting the problems in between', () => {
    problems.listen((text) => told.push(text));
    problems.report(new Error('first'));
    for (let second = 1; second < 60; second += 1) {
      clock = second * 1000;
      problems.report(new Error(`failure ${second}`));
    }
    expect(told).toHaveLength(1);
    clock = 60_000;
    problems.report('Not Found');
    expect(told).toEqual([
      'OpenTelemetry: first; the spans concerned are dropped',
      'OpenTelemetry: Not Found (and 59 more since the last such line); the spans concerned are dropped',
    ]);
  });
});
