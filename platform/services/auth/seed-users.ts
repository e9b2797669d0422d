import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import type { PasswordHasher } from './password-hasher.ts';
import { countUsers, insertUsers, type Role } from './user-store.ts';

interface SeedUser {
  readonly username: string;
  readonly password: string;
  readonly role: Role;
}

function parseSeedFile(file: string, text: string): SeedUser[] {
  const doc = JSON.parse(text) as { users?: unknown };
  if (!Array.isArray(doc.users)) throw new Error(`${file}: expected { "users": [...] }`);
  return doc.users.map((u: Partial<SeedUser>, i) => {
    if (typeof u.username !== 'string' || !u.username || typeof u.password !== 'string' || (u.role !== 'user' && u.role !== 'admin')) {
      throw new Error(`${file}: users[${i}] needs a username, a password and role 'user' or 'admin'`);
    }
    return { username: u.username, password: u.password, role: u.role };
  });
}

/**
 * Seeds the fixture users when auth.users is empty (a fresh database); an existing table is left
 * alone, so a password changed at runtime is not reset by a restart. Hashes run in parallel on the
 * libuv pool: one scrypt each is what makes seeding take time.
 */
export async function seedUsersIfEmpty(pool: pg.Pool, file: string, hasher: PasswordHasher): Promise<number> {
  if ((await countUsers(pool)) > 0) return 0;
  const users = parseSeedFile(file, await readFile(file, 'utf8'));
  const hashed = await Promise.all(users.map(async (u) => ({ username: u.username, role: u.role, passwordHash: await hasher.hash(u.password) })));
  return insertUsers(pool, hashed);
}
