import { BlockList, isIP } from "node:net";

/**
 * Which URLs an admin may register for webhooks (decision 0045). The co-op's server makes the requests, so a
 * URL is a way to make it call something: in production only public https addresses are allowed, never the
 * server's own network (a cloud metadata address, the database, an admin console on the LAN).
 */
const reserved = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  reserved.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  reserved.addSubnet(net, prefix, "ipv6");
}

/** True for an address that is not on the public internet (IPv4-mapped IPv6 addresses are checked as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const kind = isIP(address);
  if (kind === 0) return false;
  return reserved.check(address, kind === 4 ? "ipv4" : "ipv6");
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** A URL's host without IPv6 brackets, as DNS and isIP want it. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * Why `raw` cannot be a webhook URL, or null when it can. Outside production http://localhost and
 * http://127.0.0.1 are allowed too, so a developer can receive on their own machine.
 */
export function webhookUrlProblem(raw: string, options: { production: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "not a URL: it must look like https://example.com/webhooks";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must start with https://";
  if (url.username || url.password) {
    return "must not carry a user name or password (the signature proves who is calling)";
  }
  if (url.hash) return "must not have a #fragment";
  const host = bareHost(url);
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol === "http:" && (options.production || !loopback)) {
    return options.production
      ? "must start with https://"
      : "must start with https:// (http:// only for localhost or 127.0.0.1)";
  }
  if (!options.production) return null;
  if (
    loopback ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal") ||
    isPrivateAddress(host)
  ) {
    return "must be a public address, not one of the server's own network";
  }
  if (isIP(host) === 0 && !host.includes("."))
    return "must be a full public host name (e.g. erp.example.com)";
  return null;
}
