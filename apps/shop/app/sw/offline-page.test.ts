import { describe, expect, it } from "vitest";
import { enStaff as en } from "../locales/staff.en";
import { zhCNStaff as zhCN } from "../locales/staff.zh-CN";
import { OFFLINE_PAGE_CSP, renderOfflinePage } from "./offline-page";

const page = renderOfflinePage({
  zh: zhCN.offlineShell,
  en: en.offlineShell,
  stylesheet: "/assets/styles-AbC123.css",
});

describe("the page a console page shows with no network", () => {
  it("says in Chinese first, then English, that the page needs a connection", () => {
    const zhAt = page.indexOf(zhCN.offlineShell.title);
    const enAt = page.indexOf(en.offlineShell.title);
    expect(zhAt).toBeGreaterThan(0);
    expect(enAt).toBeGreaterThan(zhAt);
    expect(page).toContain('<html lang="zh-CN"');
    expect(page).toContain('<section class="error-page" lang="en">');
  });

  it("leads to the intake screen, which works offline, and can try the same page again", () => {
    expect(page).toContain(
      `<a class="button button-primary" href="/staff/intake">${zhCN.offlineShell.toIntake}</a>`,
    );
    expect(page).toContain(`<a href="">${zhCN.offlineShell.retry}</a>`);
  });

  it("uses the shop's stylesheet and has no script, and its policy allows none", () => {
    expect(page).toContain('<link rel="stylesheet" href="/assets/styles-AbC123.css">');
    expect(page).not.toMatch(/<script/i);
    expect(OFFLINE_PAGE_CSP).toContain("default-src 'none'");
    expect(OFFLINE_PAGE_CSP).not.toContain("script-src");
  });

  it("escapes its texts", () => {
    const hostile = { ...en.offlineShell, title: '<img src=x onerror="alert(1)">' };
    const html = renderOfflinePage({ zh: zhCN.offlineShell, en: hostile, stylesheet: null });
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });
});
