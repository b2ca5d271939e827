import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/** The few parts of Stripe.js v3 this form uses (loaded from js.stripe.com, never bundled). */
interface StripeElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}
interface StripeElements {
  create(type: "payment"): StripeElement;
}
interface StripeJs {
  elements(options: { clientSecret: string; locale?: string }): StripeElements;
  confirmPayment(options: {
    elements: StripeElements;
    confirmParams: { return_url: string };
  }): Promise<{ error?: { message?: string } }>;
}
declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

const STRIPE_JS = "https://js.stripe.com/v3";

/** Adds Stripe.js to the page once; it is needed on the payment step only, so it is loaded only there. */
function loadStripeJs(): Promise<NonNullable<Window["Stripe"]>> {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  return new Promise((resolve, reject) => {
    const existing = document.querySelector<HTMLScriptElement>(`script[src="${STRIPE_JS}"]`);
    const script = existing ?? document.createElement("script");
    script.addEventListener("load", () =>
      window.Stripe ? resolve(window.Stripe) : reject(new Error("no Stripe")),
    );
    script.addEventListener("error", () => reject(new Error("Stripe.js did not load")));
    if (!existing) {
      script.src = STRIPE_JS;
      script.async = true;
      document.head.appendChild(script);
    }
  });
}

/**
 * Stripe's Payment Element for an order's PaymentIntent (card, Alipay or WeChat Pay, as the intent
 * allows). Confirming sends the buyer to Stripe or their wallet and back to the order page; the order
 * becomes paid when the API receives Stripe's webhook, not when the browser says so.
 */
export function StripePayment({
  publishableKey,
  clientSecret,
  returnPath,
}: {
  publishableKey: string;
  clientSecret: string;
  returnPath: string;
}) {
  const { t, i18n } = useTranslation();
  const target = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | "paying" | "failed">("loading");
  const [message, setMessage] = useState<string | null>(null);
  const stripe = useRef<{ js: StripeJs; elements: StripeElements } | null>(null);

  useEffect(() => {
    let element: StripeElement | null = null;
    let cancelled = false;
    loadStripeJs()
      .then((Stripe) => {
        if (cancelled || !target.current) return;
        const js = Stripe(publishableKey);
        const elements = js.elements({ clientSecret, locale: i18n.language === "en" ? "en" : "zh" });
        element = elements.create("payment");
        element.mount(target.current);
        stripe.current = { js, elements };
        setState("ready");
      })
      .catch(() => {
        if (!cancelled) setState("failed");
      });
    return () => {
      cancelled = true;
      element?.destroy();
    };
  }, [publishableKey, clientSecret, i18n.language]);

  async function pay(event: FormEvent) {
    event.preventDefault();
    if (!stripe.current) return;
    setState("paying");
    setMessage(null);
    const { error } = await stripe.current.js.confirmPayment({
      elements: stripe.current.elements,
      confirmParams: { return_url: new URL(returnPath, window.location.href).toString() },
    });
    // Only reached when the payment could not start (a declined card, a closed wallet): say so and stay.
    setMessage(error?.message ?? "");
    setState("ready");
  }

  return (
    <form onSubmit={pay} className="form pay-form">
      {state === "loading" ? <p className="muted">{t("pay.loading")}</p> : null}
      {state === "failed" ? (
        <p className="alert" role="alert">
          {t("pay.loadFailed")}
        </p>
      ) : null}
      <div ref={target} className="stripe-element" />
      {message !== null ? (
        <p className="alert" role="alert">
          {t("pay.failed", { message })}
        </p>
      ) : null}
      <button
        type="submit"
        className="button button-primary button-block button-big"
        disabled={state !== "ready"}
      >
        {state === "paying" ? t("pay.paying") : t("pay.submit")}
      </button>
    </form>
  );
}
