/** Internal MIME detection (Apache Tika's magic bytes) and type normalisation. Not a public API. */
package io.attachkit.internal.mime;
