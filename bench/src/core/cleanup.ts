import { errorMessage } from '@app/platform';

interface Task {
  label: string;
  run: () => Promise<unknown>;
}

/**
 * What must be undone however the bench ends (normally, on an error, on Ctrl-C): service
 * processes, in-process apps, connections, and above all the virtual hosts and databases it
 * created. Tasks run newest first, each at most once.
 */
export class Cleanup {
  private tasks: Task[] = [];
  private running?: Promise<void>;

  /** Registers `run`; the returned function runs it now and forgets it. */
  add(label: string, run: () => Promise<unknown>): () => Promise<void> {
    const task = { label, run };
    this.tasks.push(task);
    return async () => {
      if (!this.tasks.includes(task)) return;
      this.tasks = this.tasks.filter((other) => other !== task);
      await task.run();
    };
  }

  runAll(): Promise<void> {
    this.running ??= this.drain();
    return this.running;
  }

  /** On SIGINT/SIGTERM: clean up, then exit 130, as an interrupted command does. */
  exitOnSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stdout.write(`\n${signal}: cleaning up before exiting\n`);
      void this.runAll().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  private async drain(): Promise<void> {
    while (this.tasks.length > 0) {
      const task = this.tasks.pop() as Task;
      await task.run().catch((error: unknown) => {
        process.stderr.write(`Cleanup of ${task.label} failed: ${errorMessage(error)}\n`);
      });
    }
  }
}
