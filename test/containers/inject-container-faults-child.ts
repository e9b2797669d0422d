// A harness that injects faults into the containers target and then hangs, for the test that
// SIGKILLs it and recovers from the journal alone: argv[2] is the journal file, argv[3] the journal
// target (JSON). It prints 'injected' once every fault is in place.
import { containersFaultEnvironment, createFault, FaultJournal, injectFault, type FaultSpec, type JournalTarget } from '../../harness/faults/index.ts';

const [journalFile, targetJson] = process.argv.slice(2);
if (!journalFile || !targetJson) throw new Error('usage: inject-container-faults-child.ts <journal-file> <target-json>');
const target = JSON.parse(targetJson) as Extract<JournalTarget, { kind: 'containers' }>;
const env = await containersFaultEnvironment(target);
const journal = new FaultJournal(journalFile, target);
const faults: [string, FaultSpec][] = [
  ['0.0', { type: 'toxic', proxy: 'gateway-catalog', toxic: 'latency', attributes: { latency: 500 } }],
  ['1.0', { type: 'container-pause', container: 'auth' }],
  ['2.0', { type: 'container-stop', container: 'redis-5' }],
  ['3.0', { type: 'container-kill', container: 'gateway-2' }],
];
for (const [id, spec] of faults) {
  // Never reverted: the dead-man is far away, and this process is killed long before.
  await injectFault(createFault(spec, env), { id, name: spec.type, journal, maxDurationMs: 3_600_000 });
}
console.log('injected');
setInterval(() => undefined, 60_000);
