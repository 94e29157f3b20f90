import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { Pool } from 'pg';
import { rabbitmqVersion } from '../support/management';
import type { Machine } from './result-schema';

/** Where the numbers come from: they only mean something next to the machine that made them. */
export async function describeMachine(pool: Pool, loadAverageAtStart: number[]): Promise<Machine> {
  const { rows } = await pool.query<{ version: string }>('select version()');
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryBytes: totalmem(),
    platform: `${platform()} ${release()}`,
    node: process.version,
    rabbitmq: await rabbitmqVersion(),
    postgresql: rows[0].version,
    loadAverageAtStart,
    loadAverageAtEnd: loadavg(),
  };
}
