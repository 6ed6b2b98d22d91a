CREATE TABLE "region_boundaries" (
	"code" text PRIMARY KEY NOT NULL,
	"geometry" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "region_boundaries" ADD CONSTRAINT "region_boundaries_code_regions_code_fk" FOREIGN KEY ("code") REFERENCES "public"."regions"("code") ON DELETE cascade ON UPDATE no action;