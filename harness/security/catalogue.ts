import { accessChecks } from './checks/access/index.ts';
import { authChecks } from './checks/auth/index.ts';
import { surfaceChecks } from './checks/surface/index.ts';
import type { SecurityCheck } from './security-check.ts';

/**
 * Every penetration check, in run order: the surface first (it sends little), then access control,
 * then authentication (brute force and lockout last, so their lockouts cannot disturb the others).
 */
export const CHECKS: readonly SecurityCheck[] = [...surfaceChecks, ...accessChecks, ...authChecks];
