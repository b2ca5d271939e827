/** Reads an admin list's search and filters from the address; anything not offered is ignored. */
export function readFilters<K extends string>(
  request: Request,
  choices: Record<K, readonly string[]>,
): { q: string; active: "" | "true" | "false" } & Record<K, string> {
  const params = new URL(request.url).searchParams;
  const pick = (name: string, allowed: readonly string[]) => {
    const value = params.get(name) ?? "";
    return allowed.includes(value) ? value : "";
  };
  const picked = Object.fromEntries(
    Object.entries(choices).map(([name, allowed]) => [name, pick(name, allowed as readonly string[])]),
  ) as Record<K, string>;
  return {
    q: (params.get("q") ?? "").trim().slice(0, 60),
    active: pick("active", ["true", "false"]) as "" | "true" | "false",
    ...picked,
  };
}

/** Only the filters that are set, for the API's query string. */
export function setOnly<T extends Record<string, string>>(filters: T): Partial<T> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== "")) as Partial<T>;
}
