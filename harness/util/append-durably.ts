import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Appends text to a journal file and fsyncs it before returning (and the folder, when the file is
 * new): a journal is written just before something takes effect, and the harness may be SIGKILLed (or
 * the machine lose power) right after, when the journal is the only record of what must be undone.
 */
export function appendDurably(file: string, text: string): void {
  const created = !existsSync(file);
  if (created) mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // A new file's name lives in its directory: without this a power loss could lose the whole file.
  if (created) {
    const dirFd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
