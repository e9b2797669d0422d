import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface EchartsBundle {
  readonly source: string;
  readonly version: string;
}

let cached: EchartsBundle | undefined;

/**
 * The prebuilt echarts, read once per process, to inline into report.html. It is checked for the
 * sequences that would end or confuse the <script> element it is placed in, rather than rewritten:
 * rewriting minified code could change what it does.
 */
export function echartsBundle(): EchartsBundle {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const source = readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  if (/<\/script|<!--|<script/i.test(source)) throw new Error('echarts.min.js contains </script, <script or <!--: it cannot be inlined safely');
  const { version } = JSON.parse(readFileSync(require.resolve('echarts/package.json'), 'utf8')) as { version: string };
  cached = { source, version };
  return cached;
}

/** CSP source expression allowing exactly this inline script. */
export function cspHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}
