/**
 * The S3 storage backend: {@link io.attachkit.storage.s3.S3FileStore} keeps attachment files in an Amazon S3
 * bucket or any S3-compatible store (MinIO, Ceph, Cloudflare R2, S3Proxy), and
 * {@link io.attachkit.storage.s3.S3FileStoreProvider} opens it from {@code s3://bucket/prefix?...} URIs.
 *
 * <p>Only the two public classes are meant for users; everything else here is package-private.
 */
package io.attachkit.storage.s3;
