#!/usr/bin/env node
// Second half of setup (after scripts/setup.sh has a Node >= 24 and node_modules): makes sure every
// tool the local target needs is on this machine. Tools already on PATH are used as they are;
// missing ones come from Debian's packages (apt-get, non-interactive) or, for toxiproxy-server,
// from its Go module. Prints what it found and what it installed.
import { $, fs, path } from 'zx';
import { TOOLS, type ToolSpec } from '../harness/tools/tool-catalog.ts';
import { findTool } from '../harness/tools/find-tool.ts';
import { toolVersion } from '../harness/tools/tool-version.ts';
import { projectRoot } from '../harness/util/project-root.ts';

$.verbose = false;
$.quiet = true;

const root = projectRoot();
const toolsBin = path.join(root, '.tools', 'bin');
const say = (msg: string): void => console.log(`setup: ${msg}`);

/** Debian packages that ride along with a tool: headless Chromium needs a font to lay text out. */
const COMPANIONS: Record<string, string[]> = { chromium: ['fonts-liberation'] };

async function report(spec: ToolSpec, file: string, how: 'found' | 'installed'): Promise<void> {
  const version = await toolVersion(file, spec.versionArgs);
  say(`${spec.id.padEnd(17)} ${how.padEnd(9)} ${file}${version ? `  (${version})` : ''}`);
}

function which(cmd: string, extra: string[] = []): string | undefined {
  for (const dir of [...(process.env['PATH'] ?? '').split(':'), ...extra]) {
    const file = path.join(dir, cmd);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

async function installDebian(pkgs: string[]): Promise<void> {
  const apt = which('apt-get');
  if (!apt) throw new Error('apt-get is not available (not a Debian-like machine)');
  const sudo = process.getuid?.() === 0 ? [] : which('sudo') ? ['sudo', '-n'] : undefined;
  if (!sudo) throw new Error('installing packages needs root or passwordless sudo');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' };
  const lists = fs.existsSync('/var/lib/apt/lists')
    ? fs.readdirSync('/var/lib/apt/lists').filter((f: string) => f.endsWith('Packages') || f.endsWith('Packages.lz4'))
    : [];
  if (lists.length === 0) {
    say('apt-get update (package lists are empty)');
    await $({ env })`${sudo} ${apt} update -qq`;
  }
  say(`apt-get install ${pkgs.join(' ')}`);
  const install = async (): Promise<void> => {
    await $({ env })`${sudo} ${apt} install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold ${pkgs}`;
  };
  try {
    await install();
  } catch {
    // Stale lists are the usual cause of a 404 on a package; refresh once and retry.
    await $({ env })`${sudo} ${apt} update -qq`;
    await install();
  }
}

async function installGo(spec: ToolSpec): Promise<void> {
  if (spec.install.kind !== 'go') return;
  const go = which('go', ['/usr/local/go/bin', '/usr/lib/go/bin']);
  if (!go) throw new Error('go is not installed (https://go.dev/dl), so toxiproxy-server cannot be built');
  const { module, version, builtName, ldflags } = spec.install;
  say(`go install ${module}@${version}`);
  const buildDir = path.join(root, '.tools', 'go-build');
  await fs.mkdirp(buildDir);
  await $({
    env: { ...process.env, GOBIN: buildDir, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
  })`${go} install ${ldflags ? ['-ldflags', ldflags] : []} ${module}@${version}`;
  await fs.mkdirp(toolsBin);
  await fs.move(path.join(buildDir, builtName), path.join(toolsBin, spec.names[0]!), { overwrite: true });
}

const missing = TOOLS.filter((t) => {
  const file = findTool(t.id);
  return !file;
});
for (const t of TOOLS) {
  const file = findTool(t.id);
  if (file) await report(t, file, 'found');
}

const failures: string[] = [];
const debs = [...new Set(missing.flatMap((t) => (t.install.kind === 'debian' ? [t.install.pkg, ...(COMPANIONS[t.id] ?? [])] : [])))];
if (debs.length > 0) {
  try {
    await installDebian(debs);
  } catch (err) {
    const names = missing.filter((t) => t.install.kind === 'debian').map((t) => t.id);
    failures.push(
      `${names.join(', ')}: ${(err as Error).message.split('\n')[0]}. Install the Debian packages ${debs.join(' ')} (or your system's equivalents) and run setup again.`,
    );
  }
}
for (const t of missing.filter((m) => m.install.kind === 'go')) {
  try {
    await installGo(t);
  } catch (err) {
    const inst = t.install.kind === 'go' ? `${t.install.module}@${t.install.version}` : '';
    failures.push(`${t.id}: ${(err as Error).message.split('\n')[0]}. Build it with \`go install ${inst}\` and put the binary on PATH as ${t.names[0]}.`);
  }
}
for (const t of missing) {
  const file = findTool(t.id);
  if (file) await report(t, file, 'installed');
  else if (!failures.some((f) => f.includes(t.id))) failures.push(`${t.id}: still not found after installing; put it on PATH.`);
}

if (failures.length > 0) {
  for (const f of failures) console.error(`setup: error: ${f}`);
  process.exitCode = 1;
} else {
  say('all tools present');
}
