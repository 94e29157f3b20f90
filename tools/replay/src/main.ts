import { runReplay } from './replay.program';

// `replay … --dry-run | head` closes the pipe early; that is no failure worth a stack trace.
process.stdout.on('error', () => undefined);

void runReplay(process.argv.slice(2)).then((code) => {
  // Setting the code instead of exiting lets stdout drain when it is a pipe.
  process.exitCode = code;
});
