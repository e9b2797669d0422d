import { existsSync } from 'node:fs';
import { detectContainerEngine, type ContainerEngine } from '../containers/container-engine.ts';
import { describeError } from '../errors/crucible-error.ts';
import { findTool, searchPath } from '../tools/find-tool.ts';
import { TOOLS } from '../tools/tool-catalog.ts';
import { toolVersion } from '../tools/tool-version.ts';
import { lookupSystemUser } from '../../platform/local/system-user.ts';

export interface DoctorItem {
  readonly section: 'runtime' | 'tool' | 'target';
  readonly name: string;
  readonly ok: boolean;
  /** What was found (a path and version) or why not, and what to do. */
  readonly detail: string;
}

function onPath(name: string): string | undefined {
  for (const dir of searchPath()) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  return undefined;
}

/** What works on this machine and why not: tools, then each target built from them. */
export async function runDoctor(): Promise<DoctorItem[]> {
  const items: DoctorItem[] = [];
  const major = Number(process.versions.node.split('.')[0]);
  items.push({
    section: 'runtime',
    name: 'node',
    ok: major >= 24,
    detail: `${process.version} at ${process.execPath}${major >= 24 ? '' : ' (needs >= 24: run npm run setup)'}`,
  });

  const found = new Map<string, boolean>();
  const toolItems = await Promise.all(
    TOOLS.map(async (t): Promise<DoctorItem> => {
      const file = findTool(t.id);
      found.set(t.id, file !== undefined);
      const how = t.install.kind === 'debian' ? `apt-get install ${t.install.pkg}` : `go install ${t.install.module}@${t.install.version}`;
      return {
        section: 'tool',
        name: t.id,
        ok: file !== undefined,
        detail: file ? `${file}  ${await toolVersion(file, t.versionArgs)}` : `missing: ${t.purpose}; crucible setup installs it (${how})`,
      };
    }),
  );
  items.push(...toolItems);

  const localMissing = TOOLS.filter((t) => t.requiredFor.includes('local') && !found.get(t.id)).map((t) => t.id);
  const rootWithoutPg = process.getuid?.() === 0 && !lookupSystemUser('postgres');
  items.push({
    section: 'target',
    name: 'local',
    ok: process.platform === 'linux' && localMissing.length === 0 && !rootWithoutPg,
    detail:
      process.platform !== 'linux'
        ? `needs Linux (this is ${process.platform})`
        : localMissing.length > 0
          ? `missing ${localMissing.join(', ')}: run crucible setup`
          : rootWithoutPg
            ? "running as root but there is no 'postgres' user for PostgreSQL"
            : 'ready: child processes on 127.0.0.1 (crucible up)',
  });
  let engine: ContainerEngine | string;
  try {
    engine = await detectContainerEngine();
  } catch (err) {
    engine = err instanceof Error ? describeError(err) : String(err);
  }
  items.push({
    section: 'target',
    name: 'containers',
    ok: typeof engine !== 'string',
    detail:
      typeof engine === 'string'
        ? `${engine}: install Podman (apt-get install podman runc) or start Docker`
        : `ready: ${engine.kind} at ${engine.bin} (crucible up --target containers; images are built when missing, docs/images.md)`,
  });
  const kind = onPath('kind');
  items.push({
    section: 'target',
    name: 'kind',
    ok: false,
    detail: `the target is not available in this version; its clusters are (docs/kind.md: Docker or Podman, a node image built here where no registry answers)${kind ? `; kind found at ${kind}` : '; no kind binary: crucible setup installs it'}`,
  });
  const k6 = onPath('k6');
  items.push({
    section: 'target',
    name: 'k6 adapter',
    ok: k6 !== undefined,
    detail: k6 ? `k6 at ${k6}` : 'no k6 on PATH (not installed on these machines: AGPL); scenarios use the built-in engine',
  });
  items.push({
    section: 'target',
    name: 'browser journeys',
    ok: found.get('chromium') === true,
    detail: found.get('chromium') ? 'Chromium found; Playwright drives it with executablePath' : 'no Chromium: crucible setup installs Debian chromium',
  });
  return items;
}
