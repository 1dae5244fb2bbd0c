import { readdir, readFile, readlink } from 'node:fs/promises';

/** `st` of a listening socket in /proc/net/tcp{,6}. */
const TCP_LISTEN = '0A';

/**
 * Whether process `pid` holds a listening TCP socket on `port` (any interface, IPv4 or IPv6).
 * Answers from Linux `/proc`; undefined where `/proc` cannot tell (another OS, no permission).
 *
 * A server that answers on a port is not necessarily the one we started: when two DynamoDB Local
 * processes are handed the same free port, the second one fails to bind and exits, but only after
 * the first one has already answered its readiness probe.
 *
 * @param pid - The process that should be listening.
 * @param port - TCP port.
 * @example
 * if ((await listensOn(child.pid, 8000)) === false) console.log('someone else answers on 8000');
 */
export async function listensOn(pid: number, port: number): Promise<boolean | undefined> {
  let inodes: Set<string>;
  try {
    inodes = await listeningInodes(port);
  } catch {
    return undefined;
  }
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = await readdir(`/proc/${pid}/fd`);
  } catch (error) {
    // Gone (or never ours): it does not listen. Not allowed to look: cannot tell.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? false : undefined;
  }
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
}

/** Inodes of the sockets listening on `port`, from /proc/net/tcp and tcp6. */
async function listeningInodes(port: number): Promise<Set<string>> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  const tables = await Promise.allSettled([readFile('/proc/net/tcp', 'utf8'), readFile('/proc/net/tcp6', 'utf8')]);
  if (tables.every((table) => table.status === 'rejected')) throw new Error('no /proc/net/tcp');
  for (const table of tables) {
    if (table.status !== 'fulfilled') continue;
    for (const line of table.value.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== TCP_LISTEN || !fields[1]?.endsWith(`:${hexPort}`)) continue;
      inodes.add(fields[9] as string);
    }
  }
  return inodes;
}
