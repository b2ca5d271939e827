CREATE TABLE "calendar_days" (
	"coop_id" text NOT NULL,
	"day" date NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"updated_by_user_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_days_coop_id_day_pk" PRIMARY KEY("coop_id","day"),
	CONSTRAINT "calendar_days_kind_check" CHECK (kind IN ('holiday', 'workday')),
	CONSTRAINT "calendar_days_name" CHECK (length(name) BETWEEN 1 AND 40)
);
--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_updated_by_user_id_staff_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;