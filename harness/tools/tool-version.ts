import { execFile } from 'node:child_process';

/** The first line a tool prints for its version flag, or '' if it printed nothing in time. */
export function toolVersion(file: string, args: readonly string[], timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs }, (_err, stdout, stderr) => {
      const text = `${stdout}\n${stderr}`
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l.length > 0);
      resolve(text ?? '');
    });
  });
}
