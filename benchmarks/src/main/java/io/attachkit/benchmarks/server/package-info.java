/**
 * End-to-end runners for the server: {@link io.attachkit.benchmarks.server.FilesThroughputBenchmark} (GET of a
 * 100 MiB file over loopback against reading it from disk) and
 * {@link io.attachkit.benchmarks.server.IngestBenchmark} (small base64 attachments ingested per second).
 * They print numbers; they never pass or fail.
 */
package io.attachkit.benchmarks.server;
