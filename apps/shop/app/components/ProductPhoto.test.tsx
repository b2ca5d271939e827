import { describe, expect, it } from "vitest";
import { renderIn } from "../test/i18n";
import { ProductPhoto } from "./ProductPhoto";

const name = { zh: "土鸡蛋", en: "Free-range eggs" };
const photo = { id: "pph_01", width: 800, height: 600, widths: [160, 320, 640], alt: null };

describe("ProductPhoto", () => {
  it("offers AVIF, then WebP, then JPEG at every width made, with sizes and the photo's shape", () => {
    const html = renderIn("zh-CN", <ProductPhoto photo={photo} name={name} sizes="5.5rem" />);
    const avif = html.indexOf('type="image/avif"');
    const webp = html.indexOf('type="image/webp"');
    expect(avif).toBeGreaterThan(-1);
    expect(webp).toBeGreaterThan(avif);
    expect(html).toContain(
      'srcSet="/product-photos/pph_01/160.avif 160w, /product-photos/pph_01/320.avif 320w, /product-photos/pph_01/640.avif 640w"',
    );
    expect(html).toContain('src="/product-photos/pph_01/640.jpg"');
    expect(html).toContain('sizes="5.5rem"');
    expect(html).toContain('width="800"');
    expect(html).toContain('height="600"');
    expect(html).toContain('loading="lazy"');
    expect(html).not.toContain("fetchpriority");
    // No alt text of its own: the product's name in the reader's language.
    expect(html).toContain('alt="土鸡蛋"');
    expect(renderIn("en", <ProductPhoto photo={photo} name={name} sizes="5.5rem" />)).toContain(
      'alt="Free-range eggs"',
    );
  });

  it("loads the product page's main image first: eager, high priority, its own alt text", () => {
    const html = renderIn(
      "en",
      <ProductPhoto
        photo={{ ...photo, alt: { zh: "一篮鸡蛋", en: "A basket of eggs" } }}
        name={name}
        sizes="100vw"
        priority
      />,
    );
    expect(html).toContain('loading="eager"');
    expect(html).toContain('fetchpriority="high"');
    expect(html).toContain('alt="A basket of eggs"');
  });

  it("shows a plain placeholder, not a broken image, when the product has no photo", () => {
    const html = renderIn("zh-CN", <ProductPhoto photo={null} name={name} sizes="5.5rem" />);
    expect(html).not.toContain("<img");
    expect(html).toContain("暂无照片");
  });
});
