/**
 * A worked example: chat threads, their messages and the messages' attachments kept in a SQL database over plain
 * JDBC, with the files in any {@link io.attachkit.FileStore}. Files are stored before the transaction commits and
 * deleted again when it rolls back; files a crash leaves behind are removed by {@link ThreadStore#sweepOrphans}.
 */
package io.attachkit.examples.threads;
