import type { MetaDescriptor } from "@remix-run/node";
import { zhCN } from "../locales/zh-CN";

interface RootData {
  appName: string;
}

/** "<page> · <co-op name>", or the co-op name alone on pages without a title of their own. */
export function pageMeta(
  matches: ReadonlyArray<{ id: string; data: unknown } | undefined>,
  title?: string,
): MetaDescriptor[] {
  const root = matches.find((match) => match?.id === "root")?.data as RootData | undefined;
  const appName = root?.appName ?? zhCN.app.name;
  return [{ title: title ? `${title} · ${appName}` : appName }];
}
