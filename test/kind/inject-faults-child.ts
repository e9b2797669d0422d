// A harness that injects Kubernetes faults into a kind cluster and then hangs, for the test that
// SIGKILLs it and recovers from the journal alone: argv[2] is the journal file, argv[3] the journal
// target (JSON). It prints 'injected' once every fault is in place.
import { createFault, FaultJournal, injectFault, kindFaultEnvironment, type FaultSpec, type JournalTarget } from '../../harness/faults/index.ts';

const [journalFile, targetJson] = process.argv.slice(2);
if (!journalFile || !targetJson) throw new Error('usage: inject-faults-child.ts <journal-file> <target-json>');
const target = JSON.parse(targetJson) as Extract<JournalTarget, { kind: 'kind' }>;
const env = await kindFaultEnvironment(target);
const journal = new FaultJournal(journalFile, target);
const faults: [string, FaultSpec][] = [
  ['3.0', { type: 'toxic', proxy: 'web', toxic: 'latency', attributes: { latency: 500 } }],
  ['0.0', { type: 'scale', workload: 'deployment/web', replicas: 0 }],
  ['1.0', { type: 'network-partition', selector: { app: 'client' }, direction: 'egress' }],
  ['2.0', { type: 'node-pause', node: `${target.cluster}-worker` }],
];
for (const [id, spec] of faults) {
  // Never reverted: the dead-man is far away, and this process is killed long before.
  await injectFault(createFault(spec, env), { id, name: spec.type, journal, maxDurationMs: 3_600_000 });
}
console.log('injected');
setInterval(() => undefined, 60_000);
