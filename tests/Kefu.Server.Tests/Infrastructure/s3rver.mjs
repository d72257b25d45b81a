// Starts s3rver (web/package.json devDependency) for the S3 storage tests: node s3rver.mjs <webDir> <directory> <bucket>.
// Listens on a free loopback port, prints "ready <port>", and exits when its standard input closes (the test is done
// or its process died), so no server outlives the tests.
import { createRequire } from 'node:module';
import path from 'node:path';

const [webDir, directory, bucket] = process.argv.slice(2);
let S3rver;
try {
  S3rver = createRequire(path.join(webDir, 'package.json'))('s3rver');
} catch (error) {
  console.log(`missing s3rver: ${error.message}`);
  process.exit(3);
}
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
console.log(`ready ${port}`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
