import type pg from 'pg';

export type Role = 'user' | 'admin';

export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
}

export interface NewUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
}

export async function findUserByUsername(pool: pg.Pool, username: string): Promise<UserRecord | undefined> {
  const { rows } = await pool.query<{ id: string; username: string; password_hash: string; role: Role }>(
    'SELECT id, username, password_hash, role FROM auth.users WHERE username = $1',
    [username],
  );
  const row = rows[0];
  return row && { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role };
}

/** Every user, oldest first (the order a document store's unsorted find returns them in). */
export async function listUsers(pool: pg.Pool): Promise<UserRecord[]> {
  const { rows } = await pool.query<{ id: string; username: string; password_hash: string; role: Role }>(
    'SELECT id, username, password_hash, role FROM auth.users ORDER BY created_at, username',
  );
  return rows.map((row) => ({ id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role }));
}

export async function countUsers(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM auth.users');
  return Number(rows[0]?.n ?? 0);
}

/** One statement; ON CONFLICT makes two instances seeding at once harmless. Returns how many were new. */
export async function insertUsers(pool: pg.Pool, users: readonly NewUser[]): Promise<number> {
  if (users.length === 0) return 0;
  const result = await pool.query(
    `INSERT INTO auth.users (username, password_hash, role)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (username) DO NOTHING`,
    [users.map((u) => u.username), users.map((u) => u.passwordHash), users.map((u) => u.role)],
  );
  return result.rowCount ?? 0;
}

export async function findUserById(pool: pg.Pool, id: string): Promise<UserRecord | undefined> {
  const { rows } = await pool.query<{ id: string; username: string; password_hash: string; role: Role }>(
    // The text comparison keeps a malformed id (not a uuid) a miss rather than a cast error.
    'SELECT id, username, password_hash, role FROM auth.users WHERE id::text = $1',
    [id],
  );
  const row = rows[0];
  return row && { id: row.id, username: row.username, passwordHash: row.password_hash, role: row.role };
}
