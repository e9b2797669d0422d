// `bin/crucible` as a child process, as a user runs it: its exit code and output.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../harness/util/project-root.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `killWhen` SIGKILLs it once its output so far matches (a crashed harness). */
export function crucible(args: string[], opts: { killWhen?: (stdout: string) => boolean } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(projectRoot(), 'bin', 'crucible'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      if (opts.killWhen?.(stdout)) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
