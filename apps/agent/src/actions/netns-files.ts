import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from "node:fs";

/** A file action that cannot be done safely (a symlink where a directory should be, …). */
export class NetnsFileError extends Error {
  readonly code = "FILE_REFUSED";
}

function ensureRealDir(path: string): void {
  try {
    const st = lstatSync(path);
    if (!st.isDirectory()) throw new NetnsFileError(`${path} exists and is not a directory (a symlink?)`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    mkdirSync(path, { mode: 0o755 });
  }
}

/** Writes <root>/<name>/<file> (both validated by the action schema) atomically: a temporary
 * file opened with O_EXCL|O_NOFOLLOW in the same directory, then renamed over the target, so
 * `ip netns exec` never binds half a file and no planted symlink is followed. */
export function writeNetnsFile(root: string, name: string, file: string, content: string): string {
  ensureRealDir(root);
  const dir = `${root}/${name}`;
  ensureRealDir(dir);
  const target = `${dir}/${file}`;
  const tmp = `${dir}/.${file}.nsatlas-${process.pid}`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, target);
  return target;
}

/** Deletes <root>/<name>/<file>, and the directory when it is then empty. */
export function deleteNetnsFile(root: string, name: string, file: string): string {
  const dir = `${root}/${name}`;
  const st = lstatSync(dir);
  if (!st.isDirectory()) throw new NetnsFileError(`${dir} is not a directory (a symlink?)`);
  const target = `${dir}/${file}`;
  unlinkSync(target); // unlink removes a symlink itself, never what it points to
  try {
    rmdirSync(dir);
  } catch (err) {
    // Other files (or ones nsatlas does not manage) are still there: the directory stays.
    if ((err as NodeJS.ErrnoException).code !== "ENOTEMPTY") throw err;
  }
  return target;
}
