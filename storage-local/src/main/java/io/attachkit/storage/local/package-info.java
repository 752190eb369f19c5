/**
 * The local-disk backend: {@link io.attachkit.storage.local.LocalFileStore} and its provider for
 * {@code file:} URIs.
 */
package io.attachkit.storage.local;
