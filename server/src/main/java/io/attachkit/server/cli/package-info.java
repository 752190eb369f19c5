/**
 * The {@code attachkit} command line: {@code store}, {@code get}, {@code ls}, {@code rm}, {@code health},
 * {@code gc} and {@code serve}, built with picocli. Output is JSON on standard output; logs and the progress
 * bar (only when standard error is a terminal) go to standard error.
 */
package io.attachkit.server.cli;
