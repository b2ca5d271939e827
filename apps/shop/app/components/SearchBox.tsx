import { Form, Link, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { localized } from "../i18n";
import type { loader as suggestLoader } from "../routes/search.suggest";

/** Wait this long after the last key before asking: a phone keyboard types in bursts. */
const DEBOUNCE_MS = 250;

/**
 * The product search: a plain GET form to /products (works without script), and once the page has its
 * script, up to 8 names suggested as the buyer types (Chinese, pinyin or initials), each a link to the product.
 */
export function SearchBox({ q, hidden = {} }: { q: string; hidden?: Record<string, string> }) {
  const { t, i18n } = useTranslation();
  const fetcher = useFetcher<typeof suggestLoader>();
  const [typed, setTyped] = useState(q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const { load } = fetcher;

  useEffect(() => () => clearTimeout(timer.current), []);
  const onChange = (value: string) => {
    setTyped(value);
    clearTimeout(timer.current);
    const trimmed = value.trim();
    if (!trimmed) return;
    timer.current = setTimeout(() => load(`/search/suggest?q=${encodeURIComponent(trimmed)}`), DEBOUNCE_MS);
  };
  const items = typed.trim() && fetcher.data?.q === typed.trim() ? fetcher.data.items : [];

  return (
    <Form method="get" action="/products" className="search" role="search">
      <label htmlFor="q" className="field-label">
        {t("products.searchLabel")}
      </label>
      <div className="search-row">
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={q}
          key={q}
          placeholder={t("products.searchPlaceholder")}
          maxLength={100}
          enterKeyHint="search"
          autoComplete="off"
          aria-describedby="search-hint"
          aria-controls="search-suggestions"
          onChange={(event) => onChange(event.currentTarget.value)}
        />
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <button type="submit" className="button button-primary">
          {t("products.searchButton")}
        </button>
      </div>
      <p className="field-hint" id="search-hint">
        {t("search.hint")}
      </p>
      <div id="search-suggestions" aria-live="polite">
        {items.length > 0 ? (
          <nav className="kind-filter" aria-label={t("search.suggestions")} data-testid="search-suggestions">
            {items.map((item) => (
              <Link key={item.id} to={`/products/${encodeURIComponent(item.id)}`} className="chip">
                {localized(item.name, i18n.language)}
              </Link>
            ))}
          </nav>
        ) : null}
      </div>
    </Form>
  );
}
