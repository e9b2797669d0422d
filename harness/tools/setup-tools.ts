// The platform's tools, installed where missing (crucible setup; scripts/setup.sh runs it after it has a
// Node >= 24 and node_modules). Tools already on PATH are used as they are; missing ones come from
// Debian's packages (apt-get, non-interactive) or from their Go module. Another way of installing a
// tool is a new `install.kind` in tool-catalog.ts plus its case in installGroup() below.
import { $, fs, path } from 'zx';
import { TOOLS, type ToolSpec } from './tool-catalog.ts';
import { findTool } from './find-tool.ts';
import { toolsBinDir } from './tools-dir.ts';
import { toolVersion } from './tool-version.ts';

/** Debian packages that ride along with a tool: headless Chromium needs a font to lay text out. */
const COMPANIONS: Record<string, string[]> = { chromium: ['fonts-liberation'] };

export interface SetupToolsOptions {
  /** Where progress lines go (one line each, without the 'setup: ' prefix). */
  readonly say: (msg: string) => void;
  /** The tools to make sure of; every tool in the catalog by default. */
  readonly tools?: readonly ToolSpec[];
}

/** What setup could not do: one line per tool (or group of tools) naming what to install by hand. */
export type SetupFailures = readonly string[];

function which(cmd: string, extra: string[] = []): string | undefined {
  for (const dir of [...(process.env['PATH'] ?? '').split(':'), ...extra]) {
    const file = path.join(dir, cmd);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

async function installDebian(pkgs: string[], say: (msg: string) => void): Promise<void> {
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
    await $({ env, quiet: true })`${sudo} ${apt} update -qq`;
  }
  say(`apt-get install ${pkgs.join(' ')}`);
  const install = async (): Promise<void> => {
    await $({ env, quiet: true })`${sudo} ${apt} install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confold ${pkgs}`;
  };
  try {
    await install();
  } catch {
    // Stale lists are the usual cause of a 404 on a package; refresh once and retry.
    await $({ env, quiet: true })`${sudo} ${apt} update -qq`;
    await install();
  }
}

type GoInstall = Extract<ToolSpec['install'], { kind: 'go' }>;

async function installGo(spec: ToolSpec, inst: GoInstall, say: (msg: string) => void): Promise<void> {
  const go = which('go', ['/usr/local/go/bin', '/usr/lib/go/bin']);
  if (!go) throw new Error(`go is not installed (https://go.dev/dl), so ${spec.id} cannot be built`);
  const { module, version, builtName, ldflags } = inst;
  say(`go install ${module}@${version}`);
  const bin = toolsBinDir();
  const buildDir = path.join(path.dirname(bin), 'go-build');
  await fs.mkdirp(buildDir);
  await $({
    env: { ...process.env, GOBIN: buildDir, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
    quiet: true,
  })`${go} install ${ldflags ? ['-ldflags', ldflags] : []} ${module}@${version}`;
  await fs.mkdirp(bin);
  const name = spec.names[0] ?? spec.id;
  await fs.move(path.join(buildDir, builtName), path.join(bin, name), { overwrite: true });
}

/**
 * Installs the missing tools of one install kind. Each kind's failure is reported per tool with what to
 * install by hand, so one missing installer (no apt-get, no Go) does not hide what the others did.
 */
async function installGroup(kind: ToolSpec['install']['kind'], missing: readonly ToolSpec[], say: (msg: string) => void): Promise<string[]> {
  const failures: string[] = [];
  switch (kind) {
    case 'debian': {
      const debs = [...new Set(missing.flatMap((t) => (t.install.kind === 'debian' ? [t.install.pkg, ...(COMPANIONS[t.id] ?? [])] : [])))];
      if (debs.length === 0) return failures;
      try {
        await installDebian(debs, say);
      } catch (err) {
        const names = missing.map((t) => t.id);
        failures.push(
          `${names.join(', ')}: ${(err as Error).message.split('\n')[0]}. Install the Debian packages ${debs.join(' ')} (or your system's equivalents) and run setup again.`,
        );
      }
      return failures;
    }
    case 'go':
      for (const t of missing) {
        if (t.install.kind !== 'go') continue;
        const inst = t.install;
        try {
          await installGo(t, inst, say);
        } catch (err) {
          failures.push(
            `${t.id}: ${(err as Error).message.split('\n')[0]}. Build it with \`go install ${inst.module}@${inst.version}\` and put the binary on PATH as ${t.names[0] ?? t.id}.`,
          );
        }
      }
      return failures;
    default: {
      const unhandled: never = kind;
      throw new Error(`no installer for tools of kind ${String(unhandled)}`);
    }
  }
}

/** Makes sure every tool is on this machine; idempotent (a second run only finds). Returns what failed. */
export async function setupTools(options: SetupToolsOptions): Promise<SetupFailures> {
  const { say } = options;
  const tools = options.tools ?? TOOLS;
  const report = async (spec: ToolSpec, file: string, how: 'found' | 'installed'): Promise<void> => {
    const version = await toolVersion(file, spec.versionArgs);
    say(`${spec.id.padEnd(17)} ${how.padEnd(9)} ${file}${version ? `  (${version})` : ''}`);
  };

  const missing: ToolSpec[] = [];
  for (const t of tools) {
    const file = findTool(t.id);
    if (file) await report(t, file, 'found');
    else missing.push(t);
  }

  const failures: string[] = [];
  const kinds = [...new Set(missing.map((t) => t.install.kind))];
  for (const kind of kinds)
    failures.push(
      ...(await installGroup(
        kind,
        missing.filter((t) => t.install.kind === kind),
        say,
      )),
    );
  for (const t of missing) {
    const file = findTool(t.id);
    if (file) await report(t, file, 'installed');
    else if (!failures.some((f) => f.includes(t.id))) failures.push(`${t.id}: still not found after installing; put it on PATH.`);
  }
  return failures;
}
