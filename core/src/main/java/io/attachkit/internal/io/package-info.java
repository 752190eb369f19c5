/** Internal stream helpers: the limit-enforcing digest stream, the storage quota, content sources. Not a public API. */
package io.attachkit.internal.io;
