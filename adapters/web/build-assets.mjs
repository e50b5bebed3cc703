// Asset build for adapters/web (no bundler): copies the pinned KERN UX CSS and
// the Fira Sans fonts it references, plus our own CSS, into static/dist/, and
// writes static/dist/manifest.json (SHA-256 of every file) so a Go test can
// prove the committed, embedded dist is exactly what this script produces.
// It also copies axe-core (a devDependency) into browsertest/testdata/ for the
// accessibility checks of the browser tests; axe is never served to users.
//
// Run from adapters/web: npm ci && npm run build
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const kern = join(here, "node_modules", "@kern-ux", "native", "dist");
const out = join(here, "static", "dist");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "fonts", "fira-sans"), { recursive: true });

copyFileSync(join(kern, "kern.min.css"), join(out, "kern.min.css"));
const fontsCSS = readFileSync(join(kern, "fonts", "fira-sans.css"), "utf8");
writeFileSync(join(out, "fonts", "fira-sans.css"), fontsCSS);
// Copy only the font files the stylesheet references (not all 30 cuts).
for (const m of fontsCSS.matchAll(/url\("?\.\/(fira-sans\/[^")]+)"?\)/g)) {
  copyFileSync(join(kern, "fonts", m[1]), join(out, "fonts", m[1]));
}
copyFileSync(join(kern, "..", "LICENSE.md"), join(out, "KERN-LICENSE.md"));
copyFileSync(join(here, "styles", "app.css"), join(out, "app.css"));

// Manifest: every file except the manifest itself, sorted, with its digest.
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else files.push(p);
  }
};
walk(out);
const manifest = {};
for (const p of files) {
  manifest[relative(out, p).split("\\").join("/")] = createHash("sha256").update(readFileSync(p)).digest("hex");
}
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");

const axe = join(here, "node_modules", "axe-core", "axe.min.js");
mkdirSync(join(here, "browsertest", "testdata"), { recursive: true });
copyFileSync(axe, join(here, "browsertest", "testdata", "axe.min.js"));

console.log(`static/dist: ${files.length} files; browsertest/testdata/axe.min.js copied`);
