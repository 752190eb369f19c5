/**
 * The storage backend test kit: extend {@link io.attachkit.testkit.FileStoreContract} in a backend's tests
 * to run the behaviour every {@link io.attachkit.FileStore} must have.
 */
package io.attachkit.testkit;
