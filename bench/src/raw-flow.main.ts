import { rawFlowEnv } from './raw-flow.config';
import { RAW_FLOW_ROLES, type RawFlowRole } from './support/raw-flow-names';
import { runRawFlowService } from './support/raw-flow-service';

const role = process.argv[3] as RawFlowRole;
if (!RAW_FLOW_ROLES.includes(role)) throw new Error(`no raw flow role "${role}"`);
void runRawFlowService(role, rawFlowEnv()).catch((error: unknown) => {
  process.stderr.write(
    `raw flow ${role} failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
