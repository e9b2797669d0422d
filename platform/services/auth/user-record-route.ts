import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

/**
 * GET /users/:id, the full stored record (password hash included). Registered only under the
 * excessive-exposure switch, for the gateway's over-sharing /api/me; the hardened auth service has
 * no route that returns a hash.
 */
export function registerUserRecordRoute(app: FastifyInstance, pool: pg.Pool): void {
  app.get<{ Params: { id: string } }>(
    '/users/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } } } },
    async (request, reply) => {
      const { rows } = await pool.query<{ id: string; username: string; password_hash: string; role: string; created_at: Date }>(
        'SELECT id, username, password_hash, role, created_at FROM auth.users WHERE id::text = $1',
        [request.params.id],
      );
      const row = rows[0];
      if (!row) return reply.code(404).send({ error: 'not_found', message: 'no such user', requestId: request.id });
      return { id: row.id, username: row.username, role: row.role, passwordHash: row.password_hash, createdAt: row.created_at.toISOString() };
    },
  );
}
