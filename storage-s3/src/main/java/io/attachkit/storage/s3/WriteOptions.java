package io.attachkit.storage.s3;

import java.time.Duration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * How objects are written, as settled by {@link S3FileStore.Builder}.
 *
 * @param partSize bytes per multipart part, also the largest object sent as one PutObject
 * @param maxConcurrency parts of one upload in flight at once
 * @param objectChecksums whether to send checksums that S3 verifies and stores (SHA-256 for one PUT, CRC32C for
 *     multipart)
 * @param storageClass the storage class, or {@code null} for the bucket's default
 * @param serverSideEncryption the encryption, or {@code null} for the bucket's default
 * @param kmsKeyId the KMS key for {@code aws:kms} encryption, or {@code null}
 * @param abortTimeout how long to keep trying to abort a failed multipart upload
 */
record WriteOptions(int partSize, int maxConcurrency, boolean objectChecksums, StorageClass storageClass,
                    ServerSideEncryption serverSideEncryption, String kmsKeyId, Duration abortTimeout) {
}
