import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { CommonCatalog as Catalog } from "../../locales/common.zh-CN";

type Problem = keyof Catalog["staffForm"]["problems"];
type FieldProblem = keyof Catalog["staffForm"]["fields"];

/** The form's problem in one sentence, announced to screen readers. */
export function FormAlert({ problem, id }: { problem?: Problem | null; id?: string }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <p className="alert" role="alert" id={id}>
      {t(`staffForm.problems.${problem}`)}
    </p>
  );
}

/** What is wrong with one field, under its label. */
export function FieldError({ id, problem }: { id: string; problem?: FieldProblem | null }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <p className="field-error" id={id}>
      {t(`staffForm.fields.${problem}`)}
    </p>
  );
}

/** "← back to …" at the top of a screen. */
export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <p className="no-print">
      <Link to={to} className="back-link">
        ← {children}
      </Link>
    </p>
  );
}

/** The hidden Idempotency-Key of a form. */
export function FormKey({ value }: { value: string }) {
  return <input type="hidden" name="idempotencyKey" value={value} />;
}

/** A read-only fact: label on the left, value on the right (the product page's look). */
export function Fact({
  label,
  children,
  className,
}: {
  label: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className ? `fact ${className}` : "fact"}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
