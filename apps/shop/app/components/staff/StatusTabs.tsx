import { Link } from "@remix-run/react";

/** A list's status filter as a row of chips (?status=…), the current one marked for screen readers too. */
export function StatusTabs<S extends string>({
  label,
  statuses,
  current,
  labelOf,
}: {
  label: string;
  statuses: readonly S[];
  current: string;
  labelOf: (status: S) => string;
}) {
  return (
    <nav className="kind-filter" aria-label={label}>
      {statuses.map((status) => (
        <Link
          key={status}
          to={`?status=${status}`}
          className={status === current ? "chip chip-active" : "chip"}
          aria-current={status === current ? "true" : undefined}
        >
          {labelOf(status)}
        </Link>
      ))}
    </nav>
  );
}
