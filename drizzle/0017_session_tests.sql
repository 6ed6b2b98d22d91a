CREATE TABLE "workshop_evaluations" (
	"workshop_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"relevance" smallint NOT NULL,
	"clarity" smallint NOT NULL,
	"speaker" smallint NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workshop_evaluations_workshop_id_user_id_pk" PRIMARY KEY("workshop_id","user_id"),
	CONSTRAINT "workshop_evaluations_scale_check" CHECK ("workshop_evaluations"."relevance" between 1 and 5 and "workshop_evaluations"."clarity" between 1 and 5 and "workshop_evaluations"."speaker" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "workshop_speakers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "workshop_speakers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"workshop_id" integer NOT NULL,
	"name" text NOT NULL,
	"organisation" text NOT NULL,
	"topic" text NOT NULL,
	"position" smallint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workshop_test_answers" (
	"workshop_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"phase" text NOT NULL,
	"slug" text NOT NULL,
	"question_id" text NOT NULL,
	"section" text NOT NULL,
	"given" text NOT NULL,
	"ok" smallint NOT NULL,
	CONSTRAINT "workshop_test_answers_workshop_id_user_id_phase_slug_question_id_pk" PRIMARY KEY("workshop_id","user_id","phase","slug","question_id")
);
--> statement-breakpoint
CREATE TABLE "workshop_test_results" (
	"workshop_id" integer NOT NULL,
	"user_id" text NOT NULL,
	"phase" text NOT NULL,
	"source" text NOT NULL,
	"score" smallint NOT NULL,
	"correct" smallint NOT NULL,
	"total" smallint NOT NULL,
	"entered_by" text NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workshop_test_results_workshop_id_user_id_phase_pk" PRIMARY KEY("workshop_id","user_id","phase"),
	CONSTRAINT "workshop_test_results_phase_check" CHECK ("workshop_test_results"."phase" in ('pre','post')),
	CONSTRAINT "workshop_test_results_score_check" CHECK ("workshop_test_results"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "workshop_tests" (
	"workshop_id" integer PRIMARY KEY NOT NULL,
	"items" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workshop_evaluations" ADD CONSTRAINT "workshop_evaluations_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_evaluations" ADD CONSTRAINT "workshop_evaluations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_speakers" ADD CONSTRAINT "workshop_speakers_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_test_answers" ADD CONSTRAINT "workshop_test_answers_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_test_answers" ADD CONSTRAINT "workshop_test_answers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_test_results" ADD CONSTRAINT "workshop_test_results_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_test_results" ADD CONSTRAINT "workshop_test_results_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_test_results" ADD CONSTRAINT "workshop_test_results_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_tests" ADD CONSTRAINT "workshop_tests_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workshop_tests" ADD CONSTRAINT "workshop_tests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "workshop_speakers_workshop_idx" ON "workshop_speakers" USING btree ("workshop_id");--> statement-breakpoint
CREATE INDEX "workshop_test_answers_user_idx" ON "workshop_test_answers" USING btree ("user_id");