/**
 * Storage benchmarks: {@link io.attachkit.benchmarks.storage.LocalSaveBenchmark} compares
 * {@code LocalFileStore.save} with {@code cp} of the same 1 GiB file on the same disk and counts small-file
 * saves per second; the JMH classes ({@code *Bench}) measure the pieces of the save path in isolation.
 */
package io.attachkit.benchmarks.storage;
