CREATE TABLE "kader_progress" (
	"user_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"desa_code" text NOT NULL,
	"posyandu_id" integer,
	"spm_bidang" text DEFAULT '' NOT NULL,
	"active" boolean NOT NULL,
	"enrolled_at" timestamp with time zone,
	"attended_at" timestamp with time zone,
	"modules_passed_at" timestamp with time zone,
	"certified_at" timestamp with time zone,
	"cert_expires_at" timestamp with time zone,
	CONSTRAINT "kader_progress_user_id_programme_id_pk" PRIMARY KEY("user_id","programme_id")
);
--> statement-breakpoint
CREATE TABLE "stats_cert_expiry" (
	"region_code" text NOT NULL,
	"programme_id" text NOT NULL,
	"spm_bidang" text NOT NULL,
	"expires_on" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "stats_cert_expiry_region_code_programme_id_spm_bidang_expires_on_pk" PRIMARY KEY("region_code","programme_id","spm_bidang","expires_on")
);
--> statement-breakpoint
CREATE TABLE "stats_cert_month" (
	"region_code" text NOT NULL,
	"programme_id" text NOT NULL,
	"month" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "stats_cert_month_region_code_programme_id_month_pk" PRIMARY KEY("region_code","programme_id","month")
);
--> statement-breakpoint
CREATE TABLE "stats_funnel" (
	"region_code" text NOT NULL,
	"programme_id" text NOT NULL,
	"spm_bidang" text NOT NULL,
	"year" smallint NOT NULL,
	"enrolled" integer DEFAULT 0 NOT NULL,
	"attended" integer DEFAULT 0 NOT NULL,
	"modules_passed" integer DEFAULT 0 NOT NULL,
	"certified" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_funnel_region_code_programme_id_spm_bidang_year_pk" PRIMARY KEY("region_code","programme_id","spm_bidang","year")
);
--> statement-breakpoint
CREATE TABLE "stats_kader" (
	"region_code" text NOT NULL,
	"programme_id" text NOT NULL,
	"spm_bidang" text NOT NULL,
	"active" integer NOT NULL,
	CONSTRAINT "stats_kader_region_code_programme_id_spm_bidang_pk" PRIMARY KEY("region_code","programme_id","spm_bidang")
);
--> statement-breakpoint
ALTER TABLE "kader_progress" ADD CONSTRAINT "kader_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kader_progress_desa_idx" ON "kader_progress" USING btree ("desa_code" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "kader_progress_posyandu_idx" ON "kader_progress" USING btree ("posyandu_id");