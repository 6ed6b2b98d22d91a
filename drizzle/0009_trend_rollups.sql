CREATE TABLE "stats_cert_expiry_month" (
	"region_code" text NOT NULL,
	"programme_id" text NOT NULL,
	"spm_bidang" text NOT NULL,
	"month" date NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "stats_cert_expiry_month_region_code_programme_id_spm_bidang_month_pk" PRIMARY KEY("region_code","programme_id","spm_bidang","month")
);
--> statement-breakpoint
CREATE TABLE "stats_flow" (
	"region_code" text NOT NULL,
	"programme_id" text NOT NULL,
	"spm_bidang" text NOT NULL,
	"day" date NOT NULL,
	"active" integer DEFAULT 0 NOT NULL,
	"certified" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stats_flow_region_code_programme_id_spm_bidang_day_pk" PRIMARY KEY("region_code","programme_id","spm_bidang","day")
);
