import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { VulnerableSwitch } from '../../shared/vulnerable-switches.ts';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The web UI, at / and again under /static/. @fastify/static resolves every path inside the web
 * root and refuses what would leave it. The path-traversal switch replaces the /static/ copy with
 * a naive join of the decoded path, so /static/..%2f..%2f... reads any file the process can.
 */
export async function registerStaticRoutes(app: FastifyInstance, deps: { webRoot: string; vulnerable: ReadonlySet<VulnerableSwitch> }): Promise<void> {
  await app.register(fastifyStatic, { root: deps.webRoot, prefix: '/' });
  if (!deps.vulnerable.has('path-traversal')) {
    await app.register(fastifyStatic, { root: deps.webRoot, prefix: '/static/', decorateReply: false });
    return;
  }
  app.get<{ Params: { '*': string } }>('/static/*', async (request, reply) => {
    const file = join(deps.webRoot, request.params['*']);
    const content = await readFile(file).catch(() => undefined);
    if (content === undefined) return reply.callNotFound();
    return reply.type(TYPES[extname(file)] ?? 'application/octet-stream').send(content);
  });
}
