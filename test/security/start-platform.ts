import { LocalTarget } from '../../harness/targets/local/local-target.ts';
import { localFaultEnvironment } from '../../harness/faults/index.ts';
import type { FaultEnvironment } from '../../harness/faults/fault.ts';
import { referenceProfile } from '../../harness/security/reference-profile.ts';
import type { TargetProfile } from '../../harness/security/target-profile.ts';
import type { PlatformState } from '../../platform/local/supervisor-state.ts';
import type { VulnerableSwitch } from '../../platform/services/shared/vulnerable-switches.ts';
import { TEST_PORT_BASE } from '../platform/platform-fixture.ts';

/** A reference platform a test started; disposing it stops the platform. */
export interface PlatformUnderTest extends AsyncDisposable {
  readonly state: PlatformState;
  readonly profile: TargetProfile;
  readonly faults: FaultEnvironment;
}

/**
 * Starts the reference platform with the given vulnerable switches (mode 'test'; none: the hardened
 * production mode): `await using platform = await startPlatform([...])` stops it at the end of the
 * test whatever happens. The port base comes from CRUCIBLE_TEST_PORT_BASE (7400 by default), so
 * parallel developers can keep apart.
 */
export async function startPlatform(switches: readonly VulnerableSwitch[], portBase = TEST_PORT_BASE): Promise<PlatformUnderTest> {
  const target = new LocalTarget({ portBase, mode: switches.length > 0 ? 'test' : 'production', vulnerable: [...switches] });
  let state: PlatformState;
  try {
    state = await target.up();
  } catch (err) {
    // A start that failed half-way leaves nothing behind either.
    await target.down().catch(() => undefined);
    throw err;
  }
  return {
    state,
    profile: referenceProfile(state),
    faults: localFaultEnvironment(state),
    [Symbol.asyncDispose]: async () => {
      await target.down();
    },
  };
}
