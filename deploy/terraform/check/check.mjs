// Checks the Terraform files of a directory without a terraform binary:
// - each .tf file parses (HashiCorp's HCL parser, compiled to WebAssembly, via @cdktf/hcl2json);
// - its layout is what `terraform fmt` writes (hclwrite's formatter via @cdktf/hcl-tools);
// - the promises of docs/deploy.md hold: state in GCS, no credentials in the provider, every
//   group's count a variable, and the Ansible inventory among the outputs.
// Usage: node check.mjs DIR
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@cdktf/hcl2json";
import hclTools from "@cdktf/hcl-tools";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node check.mjs DIR");
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
const problems = [];
const merged = {};

for (const file of files) {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  let json;
  try {
    json = await parse(file, text);
  } catch (e) {
    problems.push(`${path}: does not parse: ${e.message ?? e}`);
    continue;
  }
  for (const [kind, value] of Object.entries(json)) {
    merged[kind] = [...(merged[kind] ?? []), value];
  }
  const formatted = await hclTools.format(text);
  if (formatted !== text) {
    const want = formatted.split("\n");
    const got = text.split("\n");
    const line = got.findIndex((l, i) => l !== want[i]);
    problems.push(
      `${path}:${line + 1}: not in terraform fmt layout\n    have: ${JSON.stringify(got[line])}\n    want: ${JSON.stringify(want[line])}`,
    );
  }
}

const all = (kind) => Object.assign({}, ...(merged[kind] ?? []).flat());
const terraform = (merged.terraform ?? []).flat();
if (!terraform.some((t) => t.backend && "gcs" in t.backend)) {
  problems.push("no `backend \"gcs\"` in a terraform block: the state must live in a GCS bucket");
}
for (const provider of (all("provider").google ?? [])) {
  if ("credentials" in provider || "access_token" in provider) {
    problems.push("the google provider names credentials; they must come from ADC only");
  }
}
const variables = all("variable");
for (const name of ["mongodb_config_count", "mongodb_shard_count", "mongodb_shard_members", "mongos_count",
  "api_count", "redis_count", "lb_count", "machine_types"]) {
  if (!(name in variables)) problems.push(`variable ${name} is missing`);
}
if (!("ansible_inventory" in all("output"))) problems.push("output ansible_inventory is missing");

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`${problems.length} problem(s) in ${dir}; fix them (terraform fmt, where available, fixes the layout)`);
  process.exit(1);
}
console.log(`terraform check: ${files.length} files parse, terraform fmt layout, GCS state, ADC, inventory output`);
