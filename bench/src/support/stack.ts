import { type ServiceName, SERVICE_NAMES, startWaves } from '@app/services';
import { join } from 'node:path';
import type { EndToEndSettings } from '../settings';
import type { BenchProfiler } from './profiler';
import { BenchService } from './services';

/** A raw order flow process's label: its role's, marked as raw ("raw payment #2"). */
export const rawFlowLabel = (label: string): string => `raw ${label}`;

/** The services as processes, labelled for the memory table ("payment #2"). */
export interface LabelledService {
  label: string;
  service: BenchService;
}

/**
 * Every registered service (`paymentReplicas` × payment) on the end-to-end virtual host and
 * database, with production settings (LOG_LEVEL info, default retries, the tracing preload).
 * Consumers start first, as compose starts them, so their queues exist before order publishes.
 */
export class BenchStack {
  private constructor(readonly services: LabelledService[]) {}

  /**
   * `script(name)`, when given, gives what each process runs instead of the service (the raw
   * order flow's roles); their labels then start with "raw" (`raw-<label>.log`, and their own
   * profiles with `--profile`).
   */
  static async start(
    env: Record<string, string>,
    { paymentReplicas, tracing }: Pick<EndToEndSettings, 'paymentReplicas' | 'tracing'>,
    logDir: string,
    profiler?: BenchProfiler,
    script?: (name: ServiceName) => string[],
  ): Promise<BenchStack> {
    const services: LabelledService[] = [];
    const launch = async (name: ServiceName, label: string) => {
      const file = join(logDir, `${label.replace(/\W+/g, '-')}.log`);
      const nodeArguments = profiler?.serviceArguments(label);
      const service = await BenchService.start(name, env, file, {
        preload: tracing,
        nodeArguments,
        script: script?.(name),
      });
      services.push({ label, service });
      await service.ready();
    };
    try {
      const replicas = (name: ServiceName) => (name === 'payment' ? paymentReplicas : 1);
      const labelOf = (name: ServiceName, replica: number) => {
        const label = replicas(name) > 1 ? `${name} #${replica + 1}` : name;
        return script ? rawFlowLabel(label) : label;
      };
      const launchAll = (names: ServiceName[]) =>
        Promise.all(
          names.flatMap((name) =>
            Array.from({ length: replicas(name) }, (_, replica) =>
              launch(name, labelOf(name, replica)),
            ),
          ),
        );
      // The raw flow's topology is declared beforehand: its processes start all at once.
      const waves = script ? [[...SERVICE_NAMES]] : startWaves(SERVICE_NAMES);
      for (const wave of waves) await launchAll(wave);
    } catch (error) {
      await Promise.all(services.map(({ service }) => service.stop()));
      throw error;
    }
    return new BenchStack(services);
  }

  get order(): BenchService {
    const found = this.services.find(({ service }) => service.name === 'order');
    if (!found) throw new Error('order is not running');
    return found.service;
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map(({ service }) => service.stop()));
  }

  /** The last log lines of every service, to explain a failure. */
  tails(lines = 5): string {
    return this.services
      .map(({ label, service }) => `--- ${label} (${service.logFile})\n${service.tail(lines)}`)
      .join('\n');
  }
}
