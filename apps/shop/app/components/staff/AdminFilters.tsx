import { Form } from "@remix-run/react";

export interface FilterSelect {
  name: string;
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
}

/**
 * The search box and filters above an admin list: a plain GET form, so the filters live in the address
 * (a list can be bookmarked or sent) and the page works before its script has loaded.
 */
export function AdminFilters({
  q,
  searchLabel,
  searchButton,
  selects,
}: {
  q: string;
  searchLabel: string;
  searchButton: string;
  selects: readonly FilterSelect[];
}) {
  return (
    <Form method="get" className="search form" role="search">
      <label htmlFor="q" className="field-label">
        {searchLabel}
      </label>
      <div className="search-row">
        <input
          id="q"
          name="q"
          type="search"
          defaultValue={q}
          key={q}
          maxLength={60}
          enterKeyHint="search"
          autoComplete="off"
        />
        <button type="submit" className="button button-primary">
          {searchButton}
        </button>
      </div>
      {selects.map((select) => (
        <div className="field" key={select.name}>
          <label htmlFor={`filter-${select.name}`} className="field-label">
            {select.label}
          </label>
          <select
            id={`filter-${select.name}`}
            name={select.name}
            defaultValue={select.value}
            key={select.value}
            onChange={(event) => event.currentTarget.form?.requestSubmit()}
          >
            {select.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      ))}
    </Form>
  );
}
