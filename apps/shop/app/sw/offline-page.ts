import { INTAKE_SCREEN } from "./policy";

/** The texts of the page (the catalogs' `offlineShell` block, in each language). */
export interface OfflineShellText {
  pageTitle: string;
  title: string;
  text: string;
  toIntake: string;
  retry: string;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );

function section(text: OfflineShellText, lang: string, headingLevel: 1 | 2): string {
  const h = `h${headingLevel}`;
  return `<section class="error-page" lang="${lang}">
<${h}>${escapeHtml(text.title)}</${h}>
<p class="lead">${escapeHtml(text.text)}</p>
<p><a class="button button-primary" href="${INTAKE_SCREEN}">${escapeHtml(text.toIntake)}</a></p>
<p><a href="">${escapeHtml(text.retry)}</a></p>
</section>`;
}

/**
 * The page the service worker shows for a console page opened with no network: one static page, Chinese
 * first and English below it (the worker does not know the reader's language choice), in the shop's own
 * stylesheet, with the way to the intake screen that does work offline. "Try again" is a link to the same
 * address. No script: it needs none, and its policy allows none.
 */
export function renderOfflinePage(options: {
  zh: OfflineShellText;
  en: OfflineShellText;
  /** The client build's stylesheet (`/assets/styles-<hash>.css`), kept by the worker with the scripts. */
  stylesheet: string | null;
}): string {
  const { zh, en, stylesheet } = options;
  return `<!DOCTYPE html>
<html lang="zh-CN" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="#1b5e20">
<title>${escapeHtml(zh.pageTitle)} · ${escapeHtml(en.pageTitle)}</title>
${stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">` : ""}
<link rel="icon" href="data:,">
</head>
<body>
<main id="main" class="page" data-offline-shell="">
${section(zh, "zh-CN", 1)}
${section(en, "en", 2)}
</main>
</body>
</html>
`;
}

/** The policy the page is served with: its own stylesheet, nothing else, no scripts at all. */
export const OFFLINE_PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
