import { readFileSync } from 'node:fs';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** What the reference platform's journeys need: the load users from fixtures/users.json. */
export interface PlatformData {
  readonly users: readonly Credentials[];
  readonly products: number;
}

/** Loaded once per worker; only the load-NN users, so lockout and rate-limit tests keep theirs. */
export function platformData(): PlatformData {
  const file = new URL('../../fixtures/users.json', import.meta.url);
  const { users } = JSON.parse(readFileSync(file, 'utf8')) as { users: { username: string; password: string }[] };
  return { users: users.filter((u) => u.username.startsWith('load-')).map(({ username, password }) => ({ username, password })), products: 10_000 };
}
