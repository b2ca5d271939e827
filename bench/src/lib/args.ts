/** Tiny flag parser: --name value, --name=value and bare --flag. */
export function parseArgs(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) continue;
    const eq = arg.indexOf("=");
    if (eq > 0) out.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith("--")) out.set(arg.slice(2), argv[++i]!);
    else out.set(arg.slice(2), true);
  }
  return out;
}

export const DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432";
export const DEFAULT_DATABASE_URL = `${DEFAULT_SERVER}/coop_bench`;

/** The benchmarks only ever talk to this machine. */
export function assertLocal(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Benchmarks only run against this machine (127.0.0.1), not ${host}`);
  }
}
