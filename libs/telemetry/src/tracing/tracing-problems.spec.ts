import { TracingProblems } from './tracing-problems';

describe('TracingProblems', () => {
  let told: string[];
  let problems: TracingProblems;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    told = [];
    problems = new TracingProblems();
  });

  afterEach(() => jest.useRealTimers());

  it('holds a problem from before boot until the logger listens, then tells it', () => {
    problems.report(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    expect(told).toEqual([]);
    problems.listen((text) => told.push(text));
    expect(told).toEqual([
      'OpenTelemetry: connect ECONNREFUSED 127.0.0.1:4318; the spans concerned are dropped',
    ]);
  });

  it('tells at most one line a minute, and the count of the rest when the minute is up', () => {
    problems.listen((text) => told.push(text));
    problems.report(new Error('first'));
    for (let second = 1; second < 60; second += 1) {
      jest.advanceTimersByTime(1000);
      problems.report(new Error(`failure ${second}`));
    }
    expect(told).toHaveLength(1);
    // The collector is back: no failure comes after these, and they are told all the same.
    jest.advanceTimersByTime(1000);
    expect(told).toEqual([
      'OpenTelemetry: first; the spans concerned are dropped',
      'OpenTelemetry: failure 59 (and 58 more since the last such line); the spans concerned are dropped',
    ]);
    jest.advanceTimersByTime(120_000);
    expect(told).toHaveLength(2);
  });

  it("names the first address's reason when every address of a host refused", () => {
    problems.listen((text) => told.push(text));
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:4318'), {
      code: 'ECONNREFUSED',
    });
    problems.report(new AggregateError([refused], ''));
    expect(told).toEqual([
      'OpenTelemetry: connect ECONNREFUSED ::1:4318; the spans concerned are dropped',
    ]);
  });
});
