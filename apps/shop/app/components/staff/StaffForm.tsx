import {
  type FieldMetadata,
  type FormMetadata,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type SubmissionResult,
  useForm,
} from "@conform-to/react";
import { Form, type FormProps, useNavigation } from "@remix-run/react";
import type {
  ButtonHTMLAttributes,
  InputHTMLAttributes,
  ReactNode,
  SelectHTMLAttributes,
  TextareaHTMLAttributes,
} from "react";
import type { CommonCatalog as Catalog } from "../../locales/common.zh-CN";
import { FieldError, FormKey } from "./FormBits";

/**
 * Staff forms on Conform (docs/decisions/0039): the action parses with the contract schema
 * (lib/staff-form.server.ts) and answers a problem with Conform's last result; these components show
 * what was typed and each field's error from it, with or without JavaScript.
 */

type FieldProblem = keyof Catalog["staffForm"]["fields"];

/** One field of a staff form, its errors being catalog keys. */
export type StaffField = FieldMetadata<unknown, Record<string, unknown>, FieldProblem[]>;

/** What an action answered, as far as a form cares: Conform's last result, when it was a problem. */
type ActionAnswer = { result?: SubmissionResult<FieldProblem[]> } | object | null | undefined;

function lastResultOf(
  answer: ActionAnswer,
  only: Readonly<Record<string, string>>,
): SubmissionResult<FieldProblem[]> | undefined {
  if (!answer || !("result" in answer) || !answer.result) return undefined;
  // A screen with several forms: each takes only the answer to its own button or record.
  const sent = answer.result.initialValue ?? {};
  if (Object.entries(only).some(([name, value]) => sent[name] !== value)) return undefined;
  return answer.result;
}

/**
 * A staff form's state: what the last answer said (`useActionData()`), the values to start from, and
 * for a screen with several forms the `intent` (or other hidden values, `only: { handInId }`) whose answer
 * this form shows. `Name` lists the fields: `useStaffForm<"login" | "password">(answer)`.
 */
export function useStaffForm<Name extends string>(
  answer: ActionAnswer,
  options: {
    id?: string;
    intent?: string;
    only?: Readonly<Record<string, string>>;
    defaultValue?: Partial<Record<Name, unknown>>;
  } = {},
) {
  const [form, fields] = useForm<Record<string, unknown>, Record<string, unknown>, FieldProblem[]>({
    id: options.id,
    lastResult: lastResultOf(answer, {
      ...options.only,
      ...(options.intent === undefined ? {} : { intent: options.intent }),
    }),
    defaultValue: options.defaultValue as never,
    shouldValidate: "onSubmit",
  });
  return [form, fields as unknown as Record<Name, StaffField>] as const;
}

/**
 * The form element: Remix's <Form> (posted without JavaScript too) with Conform's id and submit handler,
 * the hidden idempotency key when the form has one, and the browser's own checks (required, lengths) kept.
 */
export function StaffForm({
  form,
  idempotencyKey,
  children,
  method = "post",
  className = "form",
  ...props
}: { form: FormMetadata<Record<string, unknown>, FieldProblem[]>; idempotencyKey?: string } & FormProps) {
  const { noValidate: _noValidate, ...formProps } = getFormProps(form);
  return (
    <Form method={method} className={className} {...props} {...formProps}>
      {idempotencyKey ? <FormKey value={idempotencyKey} /> : null}
      {children}
    </Form>
  );
}

interface ControlIds {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

/** The ids that tie a control to its hint and error; the control's id is the field's name by default. */
function controlIds(field: StaffField, id: string | undefined, hint: boolean): ControlIds {
  const controlId = id ?? field.name;
  const problem = field.errors?.[0];
  const describedBy = [hint ? `${controlId}-hint` : null, problem ? `${controlId}-error` : null].filter(
    Boolean,
  );
  return {
    id: controlId,
    ...(describedBy.length ? { "aria-describedby": describedBy.join(" ") } : {}),
    ...(problem ? { "aria-invalid": true as const } : {}),
  };
}

/** Under a control: its hint, then its error from the last answer. */
function FieldFoot({ field, id, hint }: { field: StaffField; id: string; hint?: ReactNode }) {
  return (
    <>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} problem={field.errors?.[0]} />
    </>
  );
}

interface FieldFrame {
  field: StaffField;
  label: ReactNode;
  hint?: ReactNode;
  /** The control's id; the field's name by default (labels and e2e tests find it by that). */
  id?: string;
  className?: string;
}

/** A labelled field: label, the control, a hint, and the field's error from the last answer. */
export function Field({
  field,
  label,
  hint,
  id,
  className = "field",
  children,
}: FieldFrame & { children: (ids: ControlIds) => ReactNode }) {
  const ids = controlIds(field, id, Boolean(hint));
  return (
    <div className={className}>
      <label htmlFor={ids.id} className="field-label">
        {label}
      </label>
      {children(ids)}
      <FieldFoot field={field} id={ids.id} hint={hint} />
    </div>
  );
}

type InputType =
  | "text"
  | "password"
  | "tel"
  | "number"
  | "date"
  | "datetime-local"
  | "email"
  | "search"
  | "url";

/** A text-like field; `unit` shows a unit after the box (e.g. "%", "元") in the large quantity style. */
export function TextField({
  field,
  label,
  hint,
  id,
  className,
  type = "text",
  unit,
  ...input
}: FieldFrame & { type?: InputType; unit?: ReactNode } & Omit<
    InputHTMLAttributes<HTMLInputElement>,
    "id" | "name" | "type" | "form"
  >) {
  const { key, ...conform } = getInputProps(field, { type, ariaAttributes: false });
  return (
    <Field field={field} label={label} hint={hint} id={id} className={className}>
      {(ids) =>
        unit ? (
          <div className="quantity-input-row">
            <input key={key} className="quantity-input" {...conform} {...ids} {...input} />
            <span className="quantity-input-unit">{unit}</span>
          </div>
        ) : (
          <input key={key} {...conform} {...ids} {...input} />
        )
      }
    </Field>
  );
}

/** A field with a list of choices. */
export function SelectField({
  field,
  label,
  hint,
  id,
  className,
  options,
  ...select
}: FieldFrame & {
  options: ReadonlyArray<{ value: string; label: ReactNode }>;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "name" | "form">) {
  const { key, ...conform } = getSelectProps(field, { ariaAttributes: false });
  return (
    <Field field={field} label={label} hint={hint} id={id} className={className}>
      {(ids) => (
        <select key={key} {...conform} {...ids} {...select}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A field for a few lines of text. */
export function TextareaField({
  field,
  label,
  hint,
  id,
  className,
  ...textarea
}: FieldFrame & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "name" | "form">) {
  const { key, ...conform } = getTextareaProps(field, { ariaAttributes: false });
  return (
    <Field field={field} label={label} hint={hint} id={id} className={className}>
      {(ids) => <textarea key={key} {...conform} {...ids} {...textarea} />}
    </Field>
  );
}

/** A tick box with its label beside it. */
export function CheckboxField({
  field,
  label,
  hint,
  id,
  className = "field field-check",
  ...input
}: FieldFrame & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "name" | "type" | "form">) {
  const { key, ...conform } = getInputProps(field, { type: "checkbox", ariaAttributes: false });
  const ids = controlIds(field, id, Boolean(hint));
  return (
    <div className={className}>
      <label htmlFor={ids.id} className="check">
        <input key={key} {...conform} {...ids} {...input} /> {label}
      </label>
      <FieldFoot field={field} id={ids.id} hint={hint} />
    </div>
  );
}

/** The form's button: large, and not pressable twice while the form is on its way. */
export function SubmitButton({
  className = "button button-primary button-block",
  disabled,
  children,
  ...button
}: ButtonHTMLAttributes<HTMLButtonElement>) {
  const navigation = useNavigation();
  return (
    <button
      type="submit"
      className={className}
      disabled={disabled || navigation.state === "submitting"}
      {...button}
    >
      {children}
    </button>
  );
}
