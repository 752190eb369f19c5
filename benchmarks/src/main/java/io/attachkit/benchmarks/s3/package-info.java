/**
 * S3 benchmarks: {@link io.attachkit.benchmarks.s3.S3ThroughputBenchmark} compares S3FileStore's upload and
 * download throughput with plain AWS SDK calls against an in-process S3Proxy, and samples the heap.
 */
package io.attachkit.benchmarks.s3;
