import { defineSuite } from 'crucible';

/** The nightly CI suite: smoke, the baseline load, a spike, the stress ramp and a 10-minute soak. */
export default defineSuite({
  name: 'nightly',
  description: 'About 16 minutes against the local platform; compare each run with the previous one (crucible compare).',
  scenarios: ['../load/smoke.ts', '../load/baseline.ts', '../load/spike.ts', '../stress/stress.ts', '../soak/soak.ts'],
});
