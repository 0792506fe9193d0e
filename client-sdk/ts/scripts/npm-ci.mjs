// Installs a package's npm dependencies exactly as its package-lock.json says (`npm ci`), unless
// the node_modules there already came from this very lock file and this Node version: the Maven
// build runs this before every build, and a clean reinstall each time would cost every build
// (and every helper's narrow test run) its seconds. Install scripts are not run: no dependency
// needs one (the buf and esbuild binaries come as platform packages), and none may download
// anything from elsewhere.
//
// Usage: node scripts/npm-ci.mjs [package dir, default .]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const dir = resolve(process.argv[2] ?? ".");
const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  console.error(`Node ${process.versions.node} is too old: the build needs Node 20 or later (with npm).`);
  process.exit(1);
}
const lock = readFileSync(join(dir, "package-lock.json"));
const want = `${createHash("sha256").update(lock).digest("hex")} node ${process.versions.node}\n`;
const stamp = join(dir, "node_modules", ".tonearm-npm-ci");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) {
  console.log(`npm ci: ${dir} is up to date with its package-lock.json`);
  process.exit(0);
}
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
execFileSync(npm, ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], {
  cwd: dir,
  stdio: "inherit",
  shell: process.platform === "win32",
});
writeFileSync(stamp, want);
