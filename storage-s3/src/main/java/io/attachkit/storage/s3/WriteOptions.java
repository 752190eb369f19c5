package io.attachkit.storage.s3;

import java.time.Duration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * How objects are written, as settled by {@link S3FileStore.Builder}.
 *
 * @param partSize bytes per multipart part, also the largest object sent as one PutObject
 * @param maxConcurrency parts of one upload in flight at once
 * @param storageClass the storage class, or {@code null} for the bucket's default
 * @param serverSideEncryption the encryption, or {@code null} for the bucket's default
 * @param kmsKeyId the KMS key for {@code aws:kms} encryption, or {@code null}
 * @param abortTimeout how long to keep trying to abort a failed multipart upload
 * @param sha256InObjectMetadata whether a multipart object is rewritten in place after completion so that its own
 *     metadata carries the SHA-256 and CRC32C (its digest record is then deleted), see
 *     {@link S3FileStore.Builder#sha256InObjectMetadata(boolean)}
 * @param maxCopyObjectSize the largest object rewritten with one CopyObject (S3 allows 5 GiB); larger ones
 *     are rewritten part by part with UploadPartCopy
 * @param copyPartSize bytes per part when an object is rewritten part by part
 */
record WriteOptions(int partSize, int maxConcurrency, StorageClass storageClass,
                    ServerSideEncryption serverSideEncryption, String kmsKeyId, Duration abortTimeout,
                    boolean sha256InObjectMetadata, long maxCopyObjectSize, long copyPartSize) {
}
