CREATE TABLE "product_photos" (
	"id" text PRIMARY KEY NOT NULL,
	"product_id" text NOT NULL,
	"position" integer NOT NULL,
	"alt_zh" text,
	"alt_en" text,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"variant_widths" integer[] NOT NULL,
	"uploaded_by_user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	"removed_by_user_id" text,
	CONSTRAINT "product_photos_position_range" CHECK (position >= 0 AND position < 1000),
	CONSTRAINT "product_photos_size_range" CHECK (width BETWEEN 1 AND 20000 AND height BETWEEN 1 AND 20000),
	CONSTRAINT "product_photos_type_check" CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
	CONSTRAINT "product_photos_bytes_check" CHECK (size_bytes > 0 AND size_bytes <= 5242880),
	CONSTRAINT "product_photos_variants_check" CHECK (cardinality(variant_widths) BETWEEN 1 AND 8 AND 0 < ALL (variant_widths) AND width >= ALL (variant_widths)),
	CONSTRAINT "product_photos_alt_check" CHECK ((alt_zh IS NULL) = (alt_en IS NULL) AND (alt_zh IS NULL OR (char_length(alt_zh) BETWEEN 1 AND 200 AND char_length(alt_en) BETWEEN 1 AND 300))),
	CONSTRAINT "product_photos_removed_check" CHECK (removed_by_user_id IS NULL OR removed_at IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_uploaded_by_user_id_staff_users_id_fk" FOREIGN KEY ("uploaded_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_photos" ADD CONSTRAINT "product_photos_removed_by_user_id_staff_users_id_fk" FOREIGN KEY ("removed_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "product_photos_live_position" ON "product_photos" USING btree ("product_id","position") WHERE removed_at IS NULL;