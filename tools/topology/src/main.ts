import { runTopology } from './topology.program';

process.stdout.on('error', () => undefined);

void runTopology(process.argv.slice(2)).then((code) => {
  // Setting the code instead of exiting lets stdout drain when it is a pipe.
  process.exitCode = code;
});
