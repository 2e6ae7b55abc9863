// Bundled by peers_matrix.mjs (esbuild) into one browser module: DuckDB-wasm from node_modules,
// its bare `apache-arrow` import resolved. The wasm and worker files are served as they are.
export * as duckdb from "@duckdb/duckdb-wasm";
