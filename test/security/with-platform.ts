import { LocalTarget } from '../../harness/targets/local/local-target.ts';
import { localFaultEnvironment } from '../../harness/faults/index.ts';
import type { FaultEnvironment } from '../../harness/faults/fault.ts';
import { referenceProfile } from '../../harness/security/reference-profile.ts';
import type { TargetProfile } from '../../harness/security/target-profile.ts';
import type { PlatformState } from '../../platform/local/supervisor-state.ts';
import type { VulnerableSwitch } from '../../platform/services/shared/vulnerable-switches.ts';
import { TEST_PORT_BASE } from '../platform/platform-fixture.ts';

export interface PlatformUnderTest {
  readonly state: PlatformState;
  readonly profile: TargetProfile;
  readonly faults: FaultEnvironment;
}

/**
 * Starts the reference platform with the given vulnerable switches (mode 'test'; none: the hardened
 * production mode), runs `fn` against it, and stops it whatever happens. The port base comes from
 * CRUCIBLE_TEST_PORT_BASE (7400 by default), so parallel developers can keep apart.
 */
export async function withPlatform<T>(switches: readonly VulnerableSwitch[], fn: (p: PlatformUnderTest) => Promise<T>, portBase = TEST_PORT_BASE): Promise<T> {
  const target = new LocalTarget({ portBase, mode: switches.length > 0 ? 'test' : 'production', vulnerable: [...switches] });
  try {
    const state = await target.up();
    return await fn({ state, profile: referenceProfile(state), faults: localFaultEnvironment(state) });
  } finally {
    await target.down();
  }
}
