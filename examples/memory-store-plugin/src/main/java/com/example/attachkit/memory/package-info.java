/**
 * An example third-party storage plugin: a {@link io.attachkit.FileStore} that keeps files in memory,
 * opened by {@code FileStores.open("mem://name")}.
 */
package com.example.attachkit.memory;
