CREATE TABLE "commitment_reminders" (
	"service_point_id" text NOT NULL,
	"day" date NOT NULL,
	"at_risk" integer NOT NULL,
	"breached" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commitment_reminders_service_point_id_day_pk" PRIMARY KEY("service_point_id","day"),
	CONSTRAINT "commitment_reminders_counts" CHECK (at_risk >= 0 AND breached >= 0 AND at_risk + breached > 0)
);
--> statement-breakpoint
CREATE TABLE "service_commitments" (
	"coop_id" text NOT NULL,
	"kind" text NOT NULL,
	"working_days" integer NOT NULL,
	"updated_by_user_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_commitments_coop_id_kind_pk" PRIMARY KEY("coop_id","kind"),
	CONSTRAINT "service_commitments_kind_check" CHECK (kind IN ('intake_settled', 'assisted_ready', 'pickup_handover', 'complaint_answered')),
	CONSTRAINT "service_commitments_days" CHECK (working_days BETWEEN 0 AND 60)
);
--> statement-breakpoint
ALTER TABLE "commitment_reminders" ADD CONSTRAINT "commitment_reminders_service_point_id_locations_id_fk" FOREIGN KEY ("service_point_id") REFERENCES "public"."locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_commitments" ADD CONSTRAINT "service_commitments_coop_id_coops_id_fk" FOREIGN KEY ("coop_id") REFERENCES "public"."coops"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_commitments" ADD CONSTRAINT "service_commitments_updated_by_user_id_staff_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;