import { createServer } from 'node:net';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { findTool } from '../../tools/find-tool.ts';
import type { ToolId } from '../../tools/tool-catalog.ts';
import { toolSpec } from '../../tools/tool-catalog.ts';
import type { LocalTools } from '../../../platform/local/plan-context.ts';
import { listPorts, type PortMap } from '../../../platform/local/ports.ts';
import { portOwner } from './port-owner.ts';

const LOCAL_TOOLS = {
  redisServer: 'redis-server',
  redisCli: 'redis-cli',
  postgres: 'postgres',
  initdb: 'initdb',
  prometheus: 'prometheus',
  haproxy: 'haproxy',
  toxiproxy: 'toxiproxy-server',
} as const satisfies Record<Exclude<keyof LocalTools, 'node'>, ToolId>;

/** Every binary the local platform runs, or one error naming all that are missing. */
export function resolveLocalTools(): LocalTools {
  const found: Partial<Record<keyof LocalTools, string>> = { node: process.execPath };
  const missing: string[] = [];
  for (const [key, id] of Object.entries(LOCAL_TOOLS) as [Exclude<keyof LocalTools, 'node'>, ToolId][]) {
    const file = findTool(id);
    if (file) found[key] = file;
    else {
      const spec = toolSpec(id);
      const how = spec.install.kind === 'debian' ? `Debian package ${spec.install.pkg}` : `go install ${spec.install.module}@${spec.install.version}`;
      missing.push(`${id} (${spec.purpose}; from ${how})`);
    }
  }
  if (missing.length > 0)
    throw new CrucibleError(
      'CRUCIBLE_ERR_TOOL_MISSING',
      `the local target needs ${missing.length === 1 ? 'a tool that is' : 'tools that are'} not installed: ${missing.map((m) => m.split(' ')[0]).join(', ')}`,
      { details: missing },
    );
  return found as LocalTools;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Fails before anything starts when a port of the block is taken, naming the port, its purpose and its holder. */
export async function checkPortsFree(ports: PortMap): Promise<void> {
  const all = listPorts(ports);
  const free = await Promise.all(all.map((p) => portFree(p.port)));
  const busy = all.filter((_, i) => !free[i]);
  if (busy.length === 0) return;
  const details = busy.map((b) => {
    const owner = portOwner(b.port);
    return `127.0.0.1:${b.port} (${b.purpose}) is in use${owner ? ` by pid ${owner.pid}: ${owner.cmd.slice(0, 120)}` : ''}`;
  });
  throw new CrucibleError(
    'CRUCIBLE_ERR_PORT_IN_USE',
    `${busy.length} port${busy.length > 1 ? 's' : ''} of the block starting at ${ports.edge} ${busy.length > 1 ? 'are' : 'is'} already in use`,
    { details },
  );
}
