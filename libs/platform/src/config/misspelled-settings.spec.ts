import { misspelledSettings } from './misspelled-settings';

const SETTINGS = ['PORT', 'RETRY_DELAYS_MS', 'SHUTDOWN_TIMEOUT_MS', 'RABBITMQ_URL', 'LOG_LEVEL'];

describe('misspelledSettings', () => {
  it.each([
    ['a letter left out', 'RETRY_DELAY_MS', 'RETRY_DELAYS_MS'],
    ['two neighbours swapped', 'RABBTIMQ_URL', 'RABBITMQ_URL'],
    ['another case', 'shutdown_timeout_ms', 'SHUTDOWN_TIMEOUT_MS'],
    ['two edits in a long name', 'SHUTDOWN_TIMOUT_M', 'SHUTDOWN_TIMEOUT_MS'],
    ['one edit in a short name', 'PORTS', 'PORT'],
  ])('names a variable with %s, and the setting it nearly names', (_case, name, meant) => {
    expect(misspelledSettings({ [name]: '1' }, SETTINGS)).toEqual([{ name, meant }]);
  });

  it('leaves the settings themselves, unrelated variables and short names two edits away', () => {
    const env = {
      PORT: '3000',
      RETRY_DELAYS_MS: '100',
      PATH: '/usr/bin',
      HOME: '/root',
      HOST: 'localhost',
      LOGNAME: 'root',
      NODE_ENV: 'production',
    };
    expect(misspelledSettings(env, SETTINGS)).toEqual([]);
  });

  it('leaves a variable that is declared but unset', () => {
    expect(misspelledSettings({ RETRY_DELAY_MS: undefined }, SETTINGS)).toEqual([]);
  });
});
