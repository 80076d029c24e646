// Make Evidence build and run with no network: duckdb-wasm cannot download its parquet extension here
// (extensions.duckdb.org is unreachable; evidence-dev/evidence#3155, duckdb/duckdb-wasm#2010), so every
// read_parquet in @evidence-dev/universal-sql is replaced by decoding the parquet with parquet-wasm (an
// Evidence dependency) and inserting it into duckdb-wasm as an Arrow IPC stream. Runs after `npm ci`
// (postinstall); idempotent; fails loudly if the pinned Evidence code is not what it expects.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'node_modules/@evidence-dev/universal-sql/src');
const MARK = '/* offline-duckdb patch */';

function patch(file, replacements) {
	const target = path.join(src, file);
	let text = fs.readFileSync(target, 'utf8');
	if (text.includes(MARK)) return console.log(`offline-duckdb: ${file} already patched`);
	for (const [before, after] of replacements) {
		if (!text.includes(before)) throw new Error(`offline-duckdb: ${file} does not contain the expected code:\n${before}`);
		text = text.replace(before, after);
	}
	fs.writeFileSync(target, `${MARK}\n${text}`);
	console.log(`offline-duckdb: patched ${file}`);
}

// 1. Merging the parts of a source's parquet output: copy one part, concatenate several through Arrow.
patch('build-parquet.js', [
	[
		`	await initDB();

	const outputFilepath = path.join(outDir, outputFilename);

	const parquetFiles = tmpFilenames.map((filename) => \`'\${filename.replaceAll('\\\\', '/')}'\`);

	const select = \`SELECT * FROM read_parquet([\${parquetFiles.join(',')}])\`;
	const copy = \`COPY (\${select}) TO '\${outputFilepath}' (FORMAT 'PARQUET', CODEC 'ZSTD', USE_TMP_FILE false);\`;

	await fs.mkdir(path.dirname(outputFilepath), { recursive: true });
	await query(copy);`,
		`	await initDB(); // still used below to clear its virtual file system; it fetches nothing

	const outputFilepath = path.join(outDir, outputFilename);
	await fs.mkdir(path.dirname(outputFilepath), { recursive: true });
	if (tmpFilenames.length === 1) {
		await fs.copyFile(tmpFilenames[0], outputFilepath);
	} else {
		const { readParquet } = await import('parquet-wasm/node/arrow1.js');
		const { tableFromIPC, Table: ArrowTable } = await import('apache-arrow');
		const parts = [];
		for (const file of tmpFilenames) {
			parts.push(tableFromIPC(readParquet(await fs.readFile(file)).intoIPCStream()));
		}
		const merged = new ArrowTable(parts.flatMap((part) => part.batches));
		await fs.writeFile(outputFilepath, writeParquet(Table.fromIPCStream(tableToIPC(merged, 'stream'))));
	}`
	]
]);

// 2. Loading the parquet files for queries at build time (node).
patch('client-duckdb/node.js', [
	[
		`import { createRequire } from 'module';`,
		`import { createRequire } from 'module';
import { readFileSync } from 'fs';
import { readParquet } from 'parquet-wasm/node/arrow1.js';`
	],
	[
		`			db.registerFileURL(
				file_name,
				url.split(pathDelimiterRegex).join(path.sep),
				DuckDBDataProtocol.NODE_FS,
				false
			);
			connection.query(
				\`CREATE OR REPLACE VIEW "\${source}"."\${table}" AS (SELECT * FROM read_parquet('\${file_name}'));\`
			);`,
		`			const ipc = readParquet(readFileSync(url.split(pathDelimiterRegex).join(path.sep))).intoIPCStream();
			connection.query(\`DROP VIEW IF EXISTS "\${source}"."\${table}";\`);
			connection.query(\`DROP TABLE IF EXISTS "\${source}"."\${table}";\`);
			connection.insertArrowFromIPCStream(ipc, { schema: source, name: table, create: true });`
	]
]);

// 3. Loading them in the browser.
patch('client-duckdb/browser.js', [
	[
		`export { tableFromIPC } from 'apache-arrow';`,
		`export { tableFromIPC } from 'apache-arrow';
import initParquet, { readParquet } from 'parquet-wasm/esm/arrow1.js';
import parquetWasmUrl from 'parquet-wasm/esm/arrow1_bg.wasm?url';
let parquetReady;`
	],
	[
		`				await db.registerFileURL(file_name, addBasePath(path), DuckDBDataProtocol.HTTP, false);
				await connection.query(
					\`CREATE OR REPLACE VIEW "\${source}"."\${table}" AS (SELECT * FROM read_parquet('\${file_name}'));\`
				);`,
		`				parquetReady ??= initParquet(parquetWasmUrl);
				await parquetReady;
				const response = await fetch(addBasePath(path));
				const ipc = readParquet(new Uint8Array(await response.arrayBuffer())).intoIPCStream();
				await connection.query(\`DROP VIEW IF EXISTS "\${source}"."\${table}";\`);
				await connection.query(\`DROP TABLE IF EXISTS "\${source}"."\${table}";\`);
				await connection.insertArrowFromIPCStream(ipc, { schema: source, name: table, create: true });`
	]
]);
