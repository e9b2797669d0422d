import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary folder for build contexts, removed when disposed (every path: built, failed, aborted). */
export class StagingArea implements AsyncDisposable {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(): Promise<StagingArea> {
    return new StagingArea(await mkdtemp(join(tmpdir(), 'crucible-images-')));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
