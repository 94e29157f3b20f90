import { readText } from './repo-files';

/** The Dockerfile as the deployment specs read it: its stages and their instructions. */

export interface DockerInstruction {
  keyword: string;
  args: string;
}

export interface DockerStage {
  name: string;
  base: string;
  instructions: DockerInstruction[];
}

/** Dockerfile instructions by stage, with continuation lines joined and comments dropped. */
export function dockerfileStages(): DockerStage[] {
  const lines = readText('Dockerfile')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'));
  const logical = lines.join('\n').replace(/\\\n/g, ' ').split('\n');
  const stages: DockerStage[] = [];
  for (const line of logical.map((raw) => raw.trim()).filter(Boolean)) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.replace(/\s+/g, ' ') };
    if (instruction.keyword === 'FROM') {
      const [base, as, name] = instruction.args.split(' ');
      stages.push({
        base,
        name: as?.toUpperCase() === 'AS' ? name : String(stages.length),
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The shell command of a RUN instruction split on `&&`, one command per entry. */
export function runCommands(instructions: DockerInstruction[]): string[] {
  return instructions
    .filter((instruction) => instruction.keyword === 'RUN')
    .flatMap((instruction) => instruction.args.split('&&').map((command) => command.trim()));
}

/** The arguments of the last instruction of a kind in a stage. */
export function lastArgs(instructions: DockerInstruction[], keyword: string): string | undefined {
  return instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
}
