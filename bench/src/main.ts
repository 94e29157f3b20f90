import { RAW_FLOW_SERVICE } from './support/raw-flow-names';

/**
 * The bench bundle's entry. `raw-flow-service <role>` runs one process of the raw order flow
 * (support/raw-flow-service.ts), which loads only pg, amqplib and node:http, not the bench's
 * Nest-based modules: its processes start in a fraction of a second.
 */
if (process.argv[2] === RAW_FLOW_SERVICE) void import('./raw-flow.main');
else void import('./bench.main');
