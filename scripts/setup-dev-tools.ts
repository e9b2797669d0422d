// The last step of the checkout's setup (scripts/setup.sh): the tools crucible's own tests use and
// users do not need (harness/tools/tool-catalog.ts DEV_TOOLS: actionlint, shellcheck), installed
// where missing by the same installer as `crucible setup`.
import { DEV_TOOLS } from '../harness/tools/tool-catalog.ts';
import { setupTools } from '../harness/tools/setup-tools.ts';

const failures = await setupTools({ tools: DEV_TOOLS, say: (msg) => console.log(`setup: ${msg}`) });
for (const f of failures) console.error(`setup: error: ${f}`);
if (failures.length > 0) process.exitCode = 1;
else console.log('setup: development tools present');
