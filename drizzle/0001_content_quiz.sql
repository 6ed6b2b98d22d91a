CREATE TABLE "module_assignments" (
	"user_id" text NOT NULL,
	"slug" text NOT NULL,
	"source" text NOT NULL,
	"workshop_id" integer,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "module_assignments_user_id_slug_pk" PRIMARY KEY("user_id","slug")
);
--> statement-breakpoint
CREATE TABLE "module_progress" (
	"user_id" text NOT NULL,
	"slug" text NOT NULL,
	"content_hash" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	"best_score" smallint,
	"passed_at" timestamp with time zone,
	CONSTRAINT "module_progress_user_id_slug_pk" PRIMARY KEY("user_id","slug")
);
--> statement-breakpoint
CREATE TABLE "module_versions" (
	"slug" text NOT NULL,
	"content_hash" text NOT NULL,
	"title" text NOT NULL,
	"spm" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "module_versions_slug_content_hash_pk" PRIMARY KEY("slug","content_hash")
);
--> statement-breakpoint
CREATE TABLE "quiz_attempts" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"slug" text NOT NULL,
	"content_hash" text NOT NULL,
	"question_ids" text[] NOT NULL,
	"draw" jsonb NOT NULL,
	"pass_score" smallint NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"answers" jsonb,
	"score" smallint,
	"passed" boolean,
	"idempotency_key" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "module_assignments" ADD CONSTRAINT "module_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "module_progress" ADD CONSTRAINT "module_progress_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quiz_attempts" ADD CONSTRAINT "quiz_attempts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_attempts_idempotency_key" ON "quiz_attempts" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "quiz_attempts_user_slug_idx" ON "quiz_attempts" USING btree ("user_id","slug");