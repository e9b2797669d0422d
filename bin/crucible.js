#!/usr/bin/env node
// crucible's command as the package installs it (node_modules/.bin/crucible). Plain JavaScript any
// Node can parse, and nothing is loaded before the version check, so an older Node gets one clear
// message instead of a syntax or module error. The checkout's own shim is bin/crucible (bash).
const MIN_NODE_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (!(major >= MIN_NODE_MAJOR)) {
  process.stderr.write(
    `crucible: needs Node.js >= ${MIN_NODE_MAJOR}; this is Node.js ${process.version} (${process.execPath}).\n` +
      `Install Node.js ${MIN_NODE_MAJOR} LTS (https://nodejs.org/en/download, or 'nvm install ${MIN_NODE_MAJOR}') and run it again.\n`,
  );
  process.exit(2);
}
// The package holds the compiled CLI; a checkout holds its TypeScript source (Node >= 24 strips the types).
const { existsSync } = await import('node:fs');
const built = new URL('../harness/cli/main.js', import.meta.url);
await import(existsSync(built) ? built.href : new URL('../harness/cli/main.ts', import.meta.url).href);
