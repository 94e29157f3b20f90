import { runDlq } from './dlq.program';

// `dlq list | head` closes the pipe early; that is no failure worth a stack trace.
process.stdout.on('error', () => undefined);

void runDlq(process.argv.slice(2)).then((code) => {
  // Setting the code instead of exiting lets stdout drain when it is a pipe.
  process.exitCode = code;
});
