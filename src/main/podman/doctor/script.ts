import type { DoctorListener } from '../../../shared/contract';
import { formatIp } from '../../../shared/cidr';

/**
 * The checks, as one POSIX sh script that runs inside A (through exec) or in a helper container
 * that joined A's network. It takes the mode and its arguments as positional parameters: a name
 * or a port from the page is never part of the script's text.
 *
 * It uses what the container has: `getent` or `nslookup` to look a name up, `nc` or bash's
 * /dev/tcp to open a port, `wget`, `curl` or a raw request to speak HTTP; `timeout` where it
 * exists (main puts a deadline on every exec as well). Each mode prints what its tool said and
 * ends with `@exit <code>`; the parsers below read it. The first line, `@ran`, tells a script that
 * ran from a container without a shell.
 */
export const PROBE_SCRIPT = String.raw`
echo "@ran"
has() { command -v "$1" >/dev/null 2>&1; }
lim() { s=$1; shift; if has timeout; then timeout "$s" "$@"; else "$@"; fi; }
url() { case "$1" in *:*) echo "http://[$1]:$2/" ;; *) echo "http://$1:$2/" ;; esac; }
mode=$1; shift
case "$mode" in
tools)
  for t in getent nslookup nc bash wget curl timeout; do has "$t" && echo "$t"; done
  ;;
resolve)
  # /etc/hosts first, as the C library does (busybox nslookup asks DNS only).
  set -f
  found=
  if [ -r /etc/hosts ]; then
    while read -r ip names; do
      case "$ip" in ''|'#'*) continue ;; esac
      for n in $names; do
        case "$n" in '#'*) break ;; esac
        [ "$n" = "$1" ] && { [ -z "$found" ] && echo "@tool hosts"; echo "$ip"; found=1; }
      done
    done < /etc/hosts
  fi
  if [ -n "$found" ]; then echo "@exit 0"
  elif has getent; then echo "@tool getent"; lim 6 getent ahosts "$1" 2>&1; echo "@exit $?"
  elif has nslookup; then echo "@tool nslookup"; lim 6 nslookup "$1" 2>&1; echo "@exit $?"
  else echo "@tool none"; fi
  ;;
connect)
  if has nc; then
    echo "@tool nc"
    case "$(nc -h 2>&1)" in
      *' -z'*) lim 6 nc -v -z -w 4 "$1" "$2" </dev/null 2>&1 ;;
      *) lim 6 nc -w 4 "$1" "$2" </dev/null 2>&1 ;;
    esac
    echo "@exit $?"
  elif has bash; then echo "@tool bash"; lim 6 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>&1; echo "@exit $?"
  else echo "@tool none"; fi
  ;;
http)
  u=$(url "$1" "$2")
  if has wget; then echo "@tool wget"; lim 8 wget -S -O /dev/null "$u" 2>&1; echo "@exit $?"
  elif has curl; then echo "@tool curl"; lim 8 curl -sS -m 6 -o /dev/null -w 'HTTP/curl %{http_code}\n' "$u" 2>&1; echo "@exit $?"
  elif has bash; then
    echo "@tool bash"
    lim 8 bash -c 'exec 3<>"/dev/tcp/$0/$1" || exit 1; printf "GET / HTTP/1.0\r\nHost: %s\r\n\r\n" "$0" >&3; IFS= read -r line <&3; echo "  $line"' "$1" "$2" 2>&1
    echo "@exit $?"
  else echo "@tool none"; fi
  ;;
listen)
  for f in /proc/net/tcp /proc/net/tcp6; do
    [ -r "$f" ] || continue
    echo "@file $f"
    while IFS= read -r l; do echo "$l"; done < "$f"
  done
  echo "@exit 0"
  ;;
esac
`;

/** Whether the script ran at all (its first line), or the container had no shell to run it. */
export function scriptRan(stdout: string): boolean {
  return stdout.startsWith('@ran');
}

export type ProbeMode = 'tools' | 'resolve' | 'connect' | 'http' | 'listen';

/** The argv of one check: `sh -c <script> doctor <mode> <args…>`. */
export function probeCommand(mode: ProbeMode, ...args: (string | number)[]): string[] {
  return ['/bin/sh', '-c', PROBE_SCRIPT, 'doctor', mode, ...args.map(String)];
}

/** What a container has to run the checks with. */
export interface Tools {
  resolve: boolean;
  connect: boolean;
  http: boolean;
  names: string[];
}

export function parseTools(output: string): Tools {
  const names = output
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z]+$/.test(l));
  const has = (n: string) => names.includes(n);
  return {
    names,
    resolve: has('getent') || has('nslookup'),
    connect: has('nc') || has('bash'),
    http: has('wget') || has('curl') || has('bash'),
    // A container without `timeout` still works: main's deadline ends a check that hangs.
  };
}

/** The tools a check needs that the container lacks, in words for the report. */
export function missingTools(tools: Tools): string[] {
  const missing: string[] = [];
  if (!tools.resolve) missing.push('a name lookup tool (getent or nslookup)');
  if (!tools.connect) missing.push('a way to open a port (nc or bash)');
  if (!tools.http) missing.push('an HTTP client (wget or curl)');
  return missing;
}

interface Framed {
  tool: string;
  /** null: the script was cut short (the deadline, or the exec failed). */
  code: number | null;
  text: string;
}

function frame(output: string): Framed {
  let tool = '';
  let code: number | null = null;
  const lines: string[] = [];
  for (const line of output.split('\n')) {
    const t = /^@tool (\S+)/.exec(line);
    const e = /^@exit (\d+)/.exec(line);
    if (t) tool = t[1]!;
    else if (e) code = Number(e[1]);
    else if (!/^@\w+/.test(line)) lines.push(line);
  }
  return { tool, code, text: lines.join('\n').trim() };
}

export type ResolveResult =
  { ok: true; addresses: string[]; output: string } | { ok: false; reason: 'not-found' | 'timeout' | 'no-tool'; output: string };

/**
 * `getent ahosts` lists each address once per socket type; busybox `nslookup` prints the server
 * it asked first ("Server:", "Address: 10.89.0.1:53"), then a block per answer.
 */
export function parseResolve(output: string): ResolveResult {
  const { tool, code, text } = frame(output);
  if (tool === 'none') return { ok: false, reason: 'no-tool', output: text };
  const addresses: string[] = [];
  const add = (a: string) => {
    if (!addresses.includes(a)) addresses.push(a);
  };
  if (tool === 'getent' || tool === 'hosts') {
    for (const line of text.split('\n')) {
      const ip = line.trim().split(/\s+/)[0];
      if (ip && /^[0-9a-fA-F:.]+$/.test(ip) && /[.:]/.test(ip)) add(ip);
    }
  } else {
    let answered = false;
    for (const line of text.split('\n')) {
      if (/^Name:/.test(line)) answered = true;
      const m = /^Address(?:\s+\d+)?:\s*(\S+)/.exec(line);
      if (answered && m) add(m[1]!);
    }
  }
  if (addresses.length > 0) return { ok: true, addresses, output: text };
  const timedOut = code === null || code === 124 || code === 143 || /timed out|no servers could be reached/i.test(text);
  return { ok: false, reason: timedOut ? 'timeout' : 'not-found', output: text };
}

export type ConnectOutcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'unresolved' | 'no-tool' | 'error';

export interface ConnectResult {
  outcome: ConnectOutcome;
  output: string;
}

/** nc (busybox, OpenBSD, traditional) and bash word their failures differently; their causes are few. */
export function parseConnect(output: string): ConnectResult {
  const { tool, code, text } = frame(output);
  if (tool === 'none') return { outcome: 'no-tool', output: text };
  if (/refused/i.test(text)) return { outcome: 'refused', output: text };
  if (
    /bad address|name or service not known|could not resolve|unknown host|not known|Temporary failure in name resolution|forward host lookup failed/i.test(
      text,
    )
  )
    return { outcome: 'unresolved', output: text };
  if (/unreachable|no route/i.test(text)) return { outcome: 'unreachable', output: text };
  if (/timed out|timeout/i.test(text) || code === null || code === 124 || code === 143)
    return { outcome: 'timeout', output: text };
  if (code === 0) return { outcome: 'open', output: text };
  return { outcome: 'error', output: text };
}

export type HttpResult =
  | { outcome: 'http'; status: number; statusLine: string; output: string }
  | { outcome: 'not-http' | 'failed' | 'no-tool'; output: string };

/** wget -S and the raw request print the status line indented; curl prints our "HTTP/curl <code>". */
export function parseHttp(output: string): HttpResult {
  const { tool, code, text } = frame(output);
  if (tool === 'none') return { outcome: 'no-tool', output: text };
  const curl = /HTTP\/curl (\d{3})/.exec(text);
  if (curl && curl[1] !== '000') return { outcome: 'http', status: Number(curl[1]), statusLine: `HTTP ${curl[1]}`, output: text };
  const line = /(HTTP\/\d(?:\.\d)?\s+(\d{3})[^\n]*)/.exec(text);
  if (line) return { outcome: 'http', status: Number(line[2]), statusLine: line[1]!.trim(), output: text };
  if (/refused|unreachable|no route|bad address|could not resolve|not known/i.test(text))
    return { outcome: 'failed', output: text };
  void code;
  return { outcome: 'not-http', output: text };
}

function hexAddress(hex: string): string | null {
  if (hex.length === 8) {
    // Little-endian 32-bit word: 0100007F is 127.0.0.1.
    const bytes = hex.match(/../g)!.map((b) => parseInt(b, 16));
    return bytes.reverse().join('.');
  }
  if (hex.length === 32) {
    // Four little-endian 32-bit words.
    let value = 0n;
    for (let i = 0; i < 4; i++) {
      const word = hex
        .slice(i * 8, i * 8 + 8)
        .match(/../g)!
        .reverse()
        .join('');
      value = (value << 32n) | BigInt(`0x${word}`);
    }
    const mapped = value >> 32n === 0xffffn;
    return mapped ? formatIp(4, value & 0xffffffffn) : formatIp(6, value);
  }
  return null;
}

function scopeOf(address: string): DoctorListener['scope'] {
  if (address === '0.0.0.0' || address === '::') return 'all';
  if (address.startsWith('127.') || address === '::1') return 'loopback';
  return 'address';
}

/** The listening TCP sockets (state 0A) in /proc/net/tcp and tcp6, as the `listen` mode prints them. */
export function parseListeners(output: string): DoctorListener[] | null {
  if (!output.includes('@file')) return null;
  const found: DoctorListener[] = [];
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || !/^\d+:$/.test(fields[0]!) || fields[3] !== '0A') continue;
    const [hex, portHex] = fields[1]!.split(':');
    const address = hex ? hexAddress(hex) : null;
    if (!address || !portHex) continue;
    const port = parseInt(portHex, 16);
    if (!found.some((l) => l.address === address && l.port === port)) found.push({ address, port, scope: scopeOf(address) });
  }
  return found.sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
}
