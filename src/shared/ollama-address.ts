/**
 * The Ollama address the page may set. Main sends requests there and shows what comes back, so
 * the address is kept to what an Ollama server can be: http(s), no user name or password (they
 * would be sent to whatever answers), nothing after `?` or `#` (Ollama takes neither), and not a
 * link-local address — 169.254.0.0/16 and fe80::/10, where cloud machines answer their metadata
 * (credentials included) and no Ollama lives. Another computer of the network stays allowed: a
 * remote Ollama on the LAN is a normal setup.
 *
 * A name that resolves to a link-local address is not caught here (main does not resolve names
 * before the request); main tells nothing of a non-Ollama answer but its HTTP status anyway.
 */
export function ollamaAddressProblem(text: string): string | undefined {
  // Read as Ollama reads OLLAMA_HOST (and as main does): "box:11434" and ":11434" are http.
  const trimmed = text.trim();
  const explicit = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(explicit ? trimmed : `http://${trimmed.startsWith(':') ? `127.0.0.1${trimmed}` : trimmed}`);
  } catch {
    return 'Write a full address, e.g. http://192.168.1.20:11434';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return 'Ollama is reached over http:// or https://, e.g. http://192.168.1.20:11434';
  if (!url.hostname) return 'The address needs a host, e.g. http://192.168.1.20:11434';
  if (url.username || url.password)
    return 'An address with a user name or password is not accepted: Ollama does not ask for one, and PodDesk would send it to whatever answers';
  if (url.search || url.hash) return 'Ollama’s address takes no “?…” or “#…” part';
  if (isLinkLocal(url.hostname))
    return 'A link-local address (169.254.x.x, fe80::…) is where a cloud machine answers about itself, not where Ollama runs';
  return undefined;
}

function isLinkLocal(hostname: string): boolean {
  // WHATWG URLs write IPv4 in dotted decimal (2852039166 and 0xa9.0xfe… become 169.254.…) and IPv6 in brackets.
  if (/^169\.254\.\d+\.\d+$/.test(hostname)) return true;
  if (!hostname.startsWith('[')) return hostname === 'metadata.google.internal';
  const v6 = hostname.slice(1, -1).toLowerCase();
  if (/^fe[89ab][0-9a-f]:/.test(v6)) return true;
  // IPv4-mapped (::ffff:a9fe:a9fe is 169.254.169.254) and AWS's IPv6 metadata address.
  return /^::ffff:a9fe:[0-9a-f]{1,4}$/.test(v6) || v6 === 'fd00:ec2::254';
}
