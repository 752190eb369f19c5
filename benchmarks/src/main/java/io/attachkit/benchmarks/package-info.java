/**
 * Benchmarks: JMH micro-benchmarks (run the shaded jar's {@code org.openjdk.jmh.Main}) and end-to-end
 * runners with a {@code main} method that print attachkit's figures next to a reference tool's, as ratios.
 * One sub-package per area: {@code storage}, {@code s3}, {@code processors}, {@code server}.
 */
package io.attachkit.benchmarks;
