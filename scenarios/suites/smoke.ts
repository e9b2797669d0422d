import { defineSuite } from 'crucible';

/** What every CI run proves: the platform serves every journey within the SLOs. */
export default defineSuite({
  name: 'smoke',
  description: 'The smoke scenario alone, with all reports.',
  scenarios: ['../load/smoke.ts'],
});
