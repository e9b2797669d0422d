// A harness that creates a one-node kind cluster and then hangs, for the test that SIGKILLs it and
// checks `crucible recover`'s cluster recovery: argv[2] is the cluster's name, argv[3] the journal file.
import { ClusterJournal } from '../../harness/targets/kind/cluster-journal.ts';
import { KindCluster } from '../../harness/targets/kind/kind-cluster.ts';

const [name, journalFile] = process.argv.slice(2);
if (!name || !journalFile) throw new Error('usage: create-cluster-child.ts <name> <journal-file>');
await KindCluster.create({ name, workers: 0, journal: new ClusterJournal(journalFile) });
console.log('ready');
setInterval(() => undefined, 60_000);
