import * as fs from 'node:fs';
import * as https from 'node:https';

// Reads the sandbox's state through its control API (GET /_sandbox/world, key material and
// credential hashes left out), so a UI test checks what the services hold, not only what the
// workbench shows.

interface EndpointsFile {
  ca: string;
  control: string;
}

export async function sandboxWorld<T>(endpointsFile: string): Promise<T> {
  const endpoints = JSON.parse(fs.readFileSync(endpointsFile, 'utf8')) as EndpointsFile;
  const ca = fs.readFileSync(endpoints.ca, 'utf8');
  return new Promise<T>((resolve, reject) => {
    const req = https.get(`${endpoints.control}/world`, { ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`GET /_sandbox/world answered ${res.statusCode}: ${body.slice(0, 200)}`));
        else resolve(JSON.parse(body) as T);
      });
    });
    req.on('error', reject);
  });
}
