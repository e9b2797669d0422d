// The reference platform, really running: started once on the test port base, exercised by each
// suite in turn (the destructive ones last), and stopped by the final suite, which checks that
// nothing is left behind.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { postgresDirFor } from '../../platform/local/platform-plan.ts';
import { PlatformFixture } from './platform-fixture.ts';
import { authSuite } from './suites/auth-suite.ts';
import { cacheSuite } from './suites/cache-suite.ts';
import { graphqlSuite } from './suites/graphql-suite.ts';
import { downSuite, statusSuite } from './suites/lifecycle-suite.ts';
import { meshSuite } from './suites/mesh-suite.ts';
import { rateLimitSuite } from './suites/rate-limit-suite.ts';
import { resilienceSuite } from './suites/resilience-suite.ts';
import { webUiSuite } from './suites/web-ui-suite.ts';

const platform = new PlatformFixture();
const p = (): PlatformFixture => platform;

describe('reference platform on the local target', () => {
  before(async () => {
    // A PostgreSQL folder left by an earlier platform whose supervisor died holds other secrets (and
    // here, no database at all): `up` must start afresh rather than reuse it. CI once failed on that.
    const pgDir = postgresDirFor(platform.target.options);
    mkdirSync(join(pgDir, 'data'), { recursive: true });
    writeFileSync(join(pgDir, 'data', 'PG_VERSION'), '15\n');
    writeFileSync(join(pgDir, 'crucible-owner'), 'an earlier platform\n');
    await platform.start();
    console.log(`# platform up in ${platform.upMs} ms on port base ${platform.state.portBase}`);
  });
  after(async () => {
    await platform[Symbol.asyncDispose]();
  });

  statusSuite(p);
  authSuite(p);
  cacheSuite(p);
  rateLimitSuite(p);
  graphqlSuite(p);
  meshSuite(p);
  webUiSuite(p);
  resilienceSuite(p);
  downSuite(p);
});
