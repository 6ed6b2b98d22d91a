CREATE TABLE "certificate_signatories" (
	"kabupaten_code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"nip" text,
	"logo" text,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_observations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "practice_observations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"task_id" text NOT NULL,
	"observed_on" date NOT NULL,
	"place" text NOT NULL,
	"steps" jsonb NOT NULL,
	"result" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"observer_id" text NOT NULL,
	"corrects_id" integer,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"idempotency_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quiz_attempt_grants" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "quiz_attempt_grants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"slug" text NOT NULL,
	"extra" smallint NOT NULL,
	"reason" text NOT NULL,
	"granted_by" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"idempotency_key" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "certificates" ADD COLUMN "signatory_logo" text;--> statement-breakpoint
ALTER TABLE "certificate_signatories" ADD CONSTRAINT "certificate_signatories_kabupaten_code_regions_code_fk" FOREIGN KEY ("kabupaten_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_signatories" ADD CONSTRAINT "certificate_signatories_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_observations" ADD CONSTRAINT "practice_observations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_observations" ADD CONSTRAINT "practice_observations_observer_id_users_id_fk" FOREIGN KEY ("observer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quiz_attempt_grants" ADD CONSTRAINT "quiz_attempt_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quiz_attempt_grants" ADD CONSTRAINT "quiz_attempt_grants_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "practice_observations_key" ON "practice_observations" USING btree ("idempotency_key","user_id");--> statement-breakpoint
CREATE INDEX "practice_observations_user_idx" ON "practice_observations" USING btree ("user_id","task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_attempt_grants_idempotency_key" ON "quiz_attempt_grants" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "quiz_attempt_grants_user_slug_idx" ON "quiz_attempt_grants" USING btree ("user_id","slug");