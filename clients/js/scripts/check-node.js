// npm test's first step: the tests need Node.js 20 or newer (node --test with --test-concurrency, fetch).
const major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  console.error(`@dino/client's tests need Node.js 20 or newer, this is ${process.version}`);
  process.exit(1);
}
