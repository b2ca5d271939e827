import type { MetaDescriptor } from "@remix-run/node";

interface RootData {
  appName: string;
}

/**
 * The shop's name when the root loader failed (an error page): the Chinese catalog's `app.name`, copied so that
 * no page ships a catalog for its title (decision 0033; locales/catalogs.test.ts keeps the two equal).
 */
export const FALLBACK_APP_NAME = "供销社农货铺";

/** "<page> · <co-op name>", or the co-op name alone on pages without a title of their own. */
export function pageMeta(
  matches: ReadonlyArray<{ id: string; data: unknown } | undefined>,
  title?: string,
): MetaDescriptor[] {
  const root = matches.find((match) => match?.id === "root")?.data as RootData | undefined;
  const appName = root?.appName ?? FALLBACK_APP_NAME;
  return [{ title: title ? `${title} · ${appName}` : appName }];
}
