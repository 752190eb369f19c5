package io.attachkit.storage.s3;

import io.attachkit.AttachmentException;
import io.attachkit.IncomingFile;
import io.attachkit.StorageException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes one incoming file to one key, reading its content exactly once with bounded memory.
 *
 * <ul>
 *   <li>Content that ends within one part goes up as a single PutObject that carries the SHA-256 both as
 *       metadata and as the S3 checksum, so S3 rejects damaged bytes.</li>
 *   <li>Longer content goes up as a multipart upload, at most {@code maxConcurrency} parts in flight and
 *       {@code maxConcurrency + 1} part buffers in memory. Each part carries a CRC32C checksum and the
 *       upload is a {@code FULL_OBJECT} CRC32C upload, so S3 checks every part and the whole object at
 *       completion (CRC32C rather than SHA-256: S3 can only combine CRCs into a whole-object checksum, and
 *       CRC32C costs next to nothing on both sides). The object's SHA-256 is known only once the content is
 *       read, after its metadata was fixed by CreateMultipartUpload, so it goes into a small digest object
 *       (see {@link DigestRecord}) written <em>before</em> the upload is completed: the object never becomes
 *       visible without its digest, and its bytes are never rewritten.</li>
 *   <li>With {@link WriteOptions#sha256InObjectMetadata()} on, the completed object is then rewritten in place
 *       (server-side CopyObject guarded by the ETag just written; UploadPartCopy above
 *       {@link WriteOptions#maxCopyObjectSize()}) with the SHA-256 and CRC32C in its own metadata, and once the
 *       HEAD has confirmed them there the digest record is deleted. A failed rewrite does not fail the save: the
 *       object is complete and verified, its record keeps serving stat and reads, and a warning is logged.</li>
 *   <li>Which checksums go with the requests is the store's {@link ChecksumMode} in effect ({@link ChecksumSupport}):
 *       with {@link ChecksumMode#AUTO}, a checksum the server refuses on CreateMultipartUpload, UploadPart or
 *       CompleteMultipartUpload is dropped to the next weaker mode and the request sent again, so the upload
 *       finishes, and the store keeps the weaker mode for later uploads.</li>
 *   <li>Afterwards a HEAD checks that the server holds what was sent: size, metadata and the checksums the
 *       server reports (SHA-256, full-object or composite CRC32C); if it reports none, by the ETags (an upload that
 *       starts in {@link ChecksumMode#NONE_VERIFY_BY_READ} computes the MD5 of each part it sends, on the part
 *       threads, and of the whole object: when every part's ETag, the completed upload's (S3's {@code md5-of-part-md5s-N},
 *       or the whole object's MD5 as s3rver gives) and the HEAD's are the MD5s of what was sent, the server hashed
 *       exactly those bytes), else by reading the object back and comparing
 *       its length and CRC32C. A mismatch deletes the object and fails the save.</li>
 *   <li>On any failure the multipart upload is aborted (retried for {@code abortTimeout}) after all parts
 *       in flight have stopped, so no parts are left behind; a written object and its digest object are
 *       deleted.</li>
 * </ul>
 * Used by one thread; the parts are uploaded on the store's executor.
 */
final class ObjectUpload {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectUpload.class);
    /** S3's limit on parts per upload. */
    static final int MAX_PARTS = 10_000;
    private static final int FIRST_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final ExecutorService executor;
    private final WriteOptions options;
    private final String bucket;
    private final String key;
    private final String digestKey;
    private final IncomingFile file;
    private final String contentDisposition;
    /** CRC32C of all content read so far (reader thread only). */
    private final CRC32C crc = new CRC32C();
    private final ChecksumSupport checksums;
    /** The checksums this upload sends; weakened when the server refuses them and the store's mode is AUTO. */
    private volatile ChecksumMode mode;
    /**
     * Whether this upload computes the MD5 of what it sends to compare with the ETags the server answers: only when
     * the server vouches for no checksum ({@link ChecksumMode#NONE_VERIFY_BY_READ} from the start), where a match
     * spares reading the object back.
     */
    private final boolean checkEtags;
    /** MD5 of all content read so far when {@link #checkEtags} (reader thread only), else {@code null}. */
    private final MessageDigest wholeMd5;
    /** Whether every ETag the server answered so far is the MD5 of what was sent. */
    private volatile boolean etagsMatch = true;

    ObjectUpload(S3Client s3, ExecutorService executor, WriteOptions options, ChecksumSupport checksums, String bucket,
            String key, String digestKey, IncomingFile file) {
        this.s3 = s3;
        this.checksums = checksums;
        this.mode = checksums.current();
        this.checkEtags = mode == ChecksumMode.NONE_VERIFY_BY_READ;
        this.wholeMd5 = checkEtags ? newMd5() : null;
        this.digestKey = digestKey;
        this.executor = executor;
        this.options = options;
        this.bucket = bucket;
        this.key = key;
        this.file = file;
        this.contentDisposition = ContentDisposition.header(file.filename(), file.mimeType());
    }

    /**
     * Reads the content to its end and stores it.
     *
     * @throws IOException if the content could not be read
     * @throws AttachmentException if a limit was passed or S3 failed
     */
    void run() throws IOException {
        InputStream in = file.content();
        // The first buffer grows as content arrives, so a small file never costs a whole part of memory.
        byte[] first = new byte[Math.min(FIRST_BUFFER, options.partSize())];
        int n = 0;
        boolean eof = false;
        while (true) {
            if (n == first.length) {
                if (first.length == options.partSize()) {
                    break;
                }
                first = Arrays.copyOf(first, (int) Math.min(options.partSize(), 2L * first.length));
            }
            int r = in.read(first, n, first.length - n);
            if (r < 0) {
                eof = true;
                break;
            }
            n += r;
        }
        read(first, n);
        if (eof) {
            putSingle(first, n);
            return;
        }
        byte[] second = new byte[options.partSize()];
        int n2 = readFully(in, second);
        read(second, n2);
        if (n2 == 0) {
            putSingle(first, n);
            return;
        }
        uploadMultipart(in, first, second, n2);
    }

    /** Adds content just read to the checksums of the whole object. */
    private void read(byte[] buf, int len) {
        crc.update(buf, 0, len);
        if (wholeMd5 != null) {
            wholeMd5.update(buf, 0, len);
        }
    }

    private static int readFully(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    // ------------------------------------------------------------------ single PutObject

    private void putSingle(byte[] buf, int len) {
        String sha256 = file.sha256();
        PutObjectRequest.Builder request = PutObjectRequest.builder()
                .bucket(bucket).key(key)
                .contentType(file.mimeType())
                .contentDisposition(contentDisposition)
                .contentLength((long) len)
                .metadata(metadata(sha256, crc32c(crc)))
                .storageClass(options.storageClass())
                .serverSideEncryption(options.serverSideEncryption())
                .ssekmsKeyId(options.kmsKeyId());
        if (mode.sendsChecksums()) {
            request.checksumSHA256(base64OfHex(sha256));
        }
        String eTag;
        try {
            PutObjectResponse response = s3.putObject(request.build(), RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(buf, 0, len), len, file.mimeType()));
            eTag = response.eTag();
            if (checkEtags) {
                noteEtag(eTag, HexFormat.of().formatHex(md5(buf, len)));
            }
        } catch (SdkException e) {
            // the outcome of a failed PUT can be unknown (a lost response): make sure nothing stays
            deleteQuietly();
            throw S3Errors.wrap("Uploading '" + key + "' (" + len + " bytes)", bucket, e);
        }
        verifyOrDelete(len, sha256, crc32c(crc), null, eTag, true);
    }

    // ------------------------------------------------------------------ multipart

    private void uploadMultipart(InputStream in, byte[] first, byte[] second, int secondLength) throws IOException {
        long started = System.nanoTime();
        String uploadId = createMultipartUpload();
        Parts parts = new Parts(uploadId);
        CompleteMultipartUploadResponse completed;
        String composite;
        try {
            parts.submit(1, first, first.length);
            parts.submit(2, second, secondLength);
            int partNumber = 2;
            boolean more = secondLength == second.length;
            while (more) {
                byte[] buf = parts.takeBuffer();
                int n = readFully(in, buf);
                read(buf, n);
                more = n == buf.length;
                if (n == 0) {
                    parts.giveBack(buf);
                    break;
                }
                if (++partNumber > MAX_PARTS) {
                    parts.giveBack(buf);
                    throw new StorageException("Uploading '" + key + "' needs more than S3's " + MAX_PARTS + " parts of "
                            + options.partSize() + " bytes; configure a larger partSize", null, false);
                }
                parts.submit(partNumber, buf, n);
            }
            List<CompletedPart> results = parts.awaitAll();
            long tParts = System.nanoTime();
            // the content is read to its end: its digest goes up first, so the object is never visible without it
            DigestRecord.write(s3, bucket, digestKey, new DigestRecord(file.sha256(), crc32c(crc), file.size()));
            long tRecord = System.nanoTime();
            completed = complete(uploadId, results, crc32c(crc));
            if (checkEtags) {
                // S3 makes it the MD5 of the parts' MD5s, -N; some servers (s3rver) the MD5 of the whole object
                noteEtag(completed.eTag(), multipartEtag(parts.md5s, results.size()),
                        HexFormat.of().formatHex(wholeMd5.digest()));
            }
            long tComplete = System.nanoTime();
            composite = composite(results);
            LOG.debug("Uploaded {} in {} parts ({} bytes), ETag {}: parts {} ms, digest record {} ms, completion {} ms", key,
                    results.size(), file.size(), completed.eTag(), (tParts - started) / 1_000_000,
                    (tRecord - tParts) / 1_000_000, (tComplete - tRecord) / 1_000_000);
        } catch (IOException | RuntimeException | Error e) {
            parts.stopAndAwait();
            abort(uploadId, e);
            deleteQuietly(digestKey);
            throw e;
        }
        String sha256 = file.sha256();
        boolean rewritten = false;
        if (options.sha256InObjectMetadata()) {
            try {
                rewriteWithDigest(completed.eTag(), sha256, crc32c(crc));
                rewritten = true;
            } catch (RuntimeException e) {
                // the object is complete and its record serves stat and reads: the save stands
                LOG.warn("Could not put the SHA-256 into the metadata of {} in bucket {} ({}); its digest record {} stays"
                        + " and serves stat and reads", key, bucket, e.getMessage(), digestKey);
            } catch (Error e) {
                deleteQuietly();
                deleteQuietly(digestKey);
                throw e;
            }
        }
        long verifying = System.nanoTime();
        HeadObjectResponse head = verifyOrDelete(file.size(), sha256, crc32c(crc), composite, completed.eTag(), false);
        LOG.debug("Verified {} in {} ms", key, (System.nanoTime() - verifying) / 1_000_000);
        if (options.sha256InObjectMetadata()) {
            // a copy whose response was lost may still have landed: the HEAD decides, not the copy's outcome
            if (sha256.equals(head.metadata().get(S3FileStore.META_SHA256))) {
                deleteRecordQuietly();
            } else if (rewritten) {
                LOG.warn("The server did not keep the SHA-256 metadata when {} in bucket {} was copied onto itself"
                        + " (has {}); its digest record {} stays and serves stat and reads", key, bucket, head.metadata(),
                        digestKey);
            }
        }
    }

    private void deleteRecordQuietly() {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(digestKey));
        } catch (SdkException e) {
            // the record agrees with the object's metadata, which stat prefers; delete(...) removes it with the file
            LOG.warn("Put the SHA-256 into the metadata of {} in bucket {} but could not delete its digest record {}: {}",
                    key, bucket, digestKey, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ metadata rewrite (sha256InObjectMetadata)

    /**
     * Puts the SHA-256 and CRC32C into the completed object's own metadata with a server-side copy onto itself,
     * guarded by the ETag just written so that only the object this upload wrote is rewritten.
     *
     * @throws StorageException if the copy failed (the object is then unchanged, or already rewritten if only the
     *     response was lost)
     */
    private void rewriteWithDigest(String eTag, String sha256, String crc32c) {
        long size = file.size();
        if (size > options.maxCopyObjectSize()) {
            rewriteInParts(eTag, sha256, crc32c, size);
            return;
        }
        try {
            s3.copyObject(b -> {
                b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(key)
                        .copySourceIfMatch(eTag)
                        .metadataDirective(MetadataDirective.REPLACE)
                        .metadata(metadata(sha256, crc32c))
                        .contentType(file.mimeType())
                        .contentDisposition(contentDisposition)
                        .storageClass(options.storageClass())
                        .serverSideEncryption(options.serverSideEncryption())
                        .ssekmsKeyId(options.kmsKeyId());
                if (mode.sendsChecksums()) {
                    // S3 computes the copy's full-object CRC32C, which the HEAD afterwards compares with ours
                    b.checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
                }
            });
            LOG.debug("Rewrote {} with its SHA-256 in its metadata (CopyObject)", key);
        } catch (SdkException e) {
            throw S3Errors.wrap("Putting the SHA-256 into the metadata of '" + key + "' (CopyObject)", bucket, e);
        }
    }

    /** Objects over CopyObject's 5 GiB limit are rewritten with UploadPartCopy, each part guarded by the ETag. */
    private void rewriteInParts(String eTag, String sha256, String crc32c, long size) {
        String uploadId = createRewriteUpload(sha256, crc32c);
        try {
            List<CompletedPart> copied = new ArrayList<>();
            int partNumber = 0;
            for (long start = 0; start < size; start += options.copyPartSize()) {
                long end = Math.min(size, start + options.copyPartSize()) - 1;
                int number = ++partNumber;
                String range = "bytes=" + start + "-" + end;
                UploadPartCopyResponse response = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(key)
                        .destinationBucket(bucket).destinationKey(key).uploadId(uploadId).partNumber(number)
                        .copySourceIfMatch(eTag).copySourceRange(range));
                copied.add(CompletedPart.builder().partNumber(number).eTag(response.copyPartResult().eTag())
                        .checksumCRC32C(response.copyPartResult().checksumCRC32C()).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(m -> m.parts(copied)));
            LOG.debug("Rewrote {} with its SHA-256 in its metadata (UploadPartCopy, {} parts)", key, partNumber);
        } catch (SdkException e) {
            StorageException failure = S3Errors.wrap("Putting the SHA-256 into the metadata of '" + key + "' (UploadPartCopy)",
                    bucket, e);
            abort(uploadId, failure);
            throw failure;
        } catch (RuntimeException | Error e) {
            abort(uploadId, e);
            throw e;
        }
    }

    private String createRewriteUpload(String sha256, String crc32c) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(bucket).key(key)
                .contentType(file.mimeType())
                .contentDisposition(contentDisposition)
                .metadata(metadata(sha256, crc32c))
                .storageClass(options.storageClass())
                .serverSideEncryption(options.serverSideEncryption())
                .ssekmsKeyId(options.kmsKeyId());
        if (mode.sendsChecksums()) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
        }
        try {
            return s3.createMultipartUpload(request.build()).uploadId();
        } catch (SdkException e) {
            throw S3Errors.wrap("Starting the part-by-part rewrite of '" + key + "'", bucket, e);
        }
    }

    private String createMultipartUpload() {
        while (true) {
            ChecksumMode m = mode;
            CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                    .bucket(bucket).key(key)
                    .contentType(file.mimeType())
                    .contentDisposition(contentDisposition)
                    .metadata(metadata(null, null))
                    .storageClass(options.storageClass())
                    .serverSideEncryption(options.serverSideEncryption())
                    .ssekmsKeyId(options.kmsKeyId());
            if (m == ChecksumMode.FULL_OBJECT) {
                request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT);
            } else if (m == ChecksumMode.COMPOSITE) {
                // COMPOSITE is S3's default type for CRC32C: no x-amz-checksum-type header for servers that lack it
                request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
            }
            try {
                return s3.createMultipartUpload(request.build()).uploadId();
            } catch (SdkException e) {
                if (!fallBack(m, m.weaker(), "CreateMultipartUpload", e)) {
                    throw S3Errors.wrap("Starting a multipart upload of '" + key + "'", bucket, e);
                }
            }
        }
    }

    /**
     * Falls back to a weaker checksum mode if the store may and the server refused a checksum.
     *
     * @param refused the mode the refused request was sent with
     * @param to the mode to retry with
     * @param operation the S3 operation that was refused
     * @param e what the server answered
     * @return whether to retry the request with {@link #mode}
     */
    private synchronized boolean fallBack(ChecksumMode refused, ChecksumMode to, String operation, SdkException e) {
        if (!checksums.adaptive() || !refused.sendsChecksums() || !S3Errors.isChecksumRefusal(e)) {
            return false;
        }
        if (mode.ordinal() < to.ordinal()) {
            mode = checksums.fallBack(refused, to, "refused the " + describe(refused) + " on " + operation + ": "
                    + S3Errors.summary(e));
        }
        return true;
    }

    private static String describe(ChecksumMode mode) {
        return switch (mode) {
            case FULL_OBJECT -> "FULL_OBJECT CRC32C checksum";
            case COMPOSITE -> "composite CRC32C checksum";
            default -> "part CRC32C checksum";
        };
    }

    /**
     * @return the uploaded part; it always carries its CRC32C, which {@link #complete} sends only if the mode does
     */
    private CompletedPart uploadPart(String uploadId, int partNumber, byte[] buf, int len, Map<Integer, byte[]> md5s) {
        CRC32C partCrc = new CRC32C();
        partCrc.update(buf, 0, len);
        String partChecksum = crc32c(partCrc);
        byte[] md5 = checkEtags ? md5(buf, len) : null;
        while (true) {
            ChecksumMode m = mode;
            try {
                UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength((long) len)
                                .checksumCRC32C(m.sendsChecksums() ? partChecksum : null),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len,
                                "application/octet-stream"));
                if (md5 != null) {
                    md5s.put(partNumber, md5);
                    noteEtag(response.eTag(), HexFormat.of().formatHex(md5));
                }
                return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).checksumCRC32C(partChecksum)
                        .build();
            } catch (SdkException e) {
                // both FULL_OBJECT and COMPOSITE need part checksums: a server that refuses them gets none
                if (!fallBack(m, ChecksumMode.NONE_VERIFY_BY_READ, "UploadPart", e)) {
                    throw S3Errors.wrap("Uploading part " + partNumber + " of '" + key + "'", bucket, e);
                }
            }
        }
    }

    private CompleteMultipartUploadResponse complete(String uploadId, List<CompletedPart> completedParts, String fullCrc32c) {
        while (true) {
            ChecksumMode m = mode;
            List<CompletedPart> sent = m.sendsChecksums() ? completedParts
                    : completedParts.stream().map(p -> p.toBuilder().checksumCRC32C(null).build()).toList();
            try {
                return s3.completeMultipartUpload(b -> {
                    b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(sent));
                    if (m == ChecksumMode.FULL_OBJECT) {
                        // S3 checks the whole object against the CRC32C of everything we read
                        b.checksumType(ChecksumType.FULL_OBJECT).checksumCRC32C(fullCrc32c);
                    }
                });
            } catch (SdkException e) {
                if (!fallBack(m, m.weaker(), "CompleteMultipartUpload", e)) {
                    throw S3Errors.wrap("Completing the multipart upload of '" + key + "'", bucket, e);
                }
            }
        }
    }

    /**
     * @param parts the uploaded parts, in order, each with its CRC32C
     * @return S3's composite checksum of them: the CRC32C of the parts' CRC32Cs, {@code base64-N}
     */
    static String composite(List<CompletedPart> parts) {
        CRC32C ofParts = new CRC32C();
        for (CompletedPart p : parts) {
            ofParts.update(Base64.getDecoder().decode(p.checksumCRC32C()));
        }
        return crc32c(ofParts) + "-" + parts.size();
    }

    private void abort(String uploadId, Throwable cause) {
        long deadline = System.nanoTime() + options.abortTimeout().toNanos();
        long delayMillis = 100;
        while (true) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                LOG.debug("Aborted multipart upload {} of {}", uploadId, key);
                return;
            } catch (NoSuchUploadException gone) {
                return;
            } catch (SdkException e) {
                // a refusal (s3rver answers 405 MethodNotAllowed) does not change by waiting
                if (!S3Errors.isRetryable(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis) > deadline) {
                    StorageException failed = S3Errors.wrap("Aborting multipart upload " + uploadId + " of '" + key
                            + "' (its parts stay until a lifecycle rule or S3FileStore.abortIncompleteUploads removes them)",
                            bucket, e);
                    cause.addSuppressed(failed);
                    LOG.warn("{}", failed.getMessage());
                    return;
                }
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    cause.addSuppressed(S3Errors.wrap("Aborting multipart upload " + uploadId + " of '" + key
                            + "' (interrupted)", bucket, e));
                    return;
                }
                delayMillis = Math.min(delayMillis * 2, 2000);
            }
        }
    }

    // ------------------------------------------------------------------ verification

    /**
     * Checks what the server holds against what was sent; on a mismatch deletes the object and throws. The bytes
     * are checked by the checksums the server reports (SHA-256, full-object or composite CRC32C); when it
     * reports none, by reading the object back.
     *
     * @param size bytes sent
     * @param sha256 hex SHA-256 of the bytes sent
     * @param crc32c base64 CRC32C of the bytes sent
     * @param composite the composite CRC32C of the parts sent ({@code base64-N}), or {@code null} for one PUT
     * @param eTag the ETag the upload was answered with (for verification by ETag the HEAD must report the same)
     * @param digestInMetadata whether the object's own metadata must carry the digests (single PUT), else they
     *     are in its digest object (and, if the metadata has them after a rewrite, they must match)
     * @return the HEAD response of the verified object
     */
    private HeadObjectResponse verifyOrDelete(long size, String sha256, String crc32c, String composite, String eTag,
            boolean digestInMetadata) {
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(mode.sendsChecksums()
                    ? software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED : null));
        } catch (SdkException e) {
            deleteQuietly();
            if (!digestInMetadata) {
                deleteQuietly(digestKey);
            }
            throw S3Errors.wrap("Checking the uploaded object '" + key + "'", bucket, e);
        }
        String problem = null;
        String serverCrc = head.checksumCRC32C();
        if (head.contentLength() == null || head.contentLength() != size) {
            problem = "the server holds " + head.contentLength() + " bytes but " + size + " were sent"
                    + " (a server that does not understand aws-chunked uploads stores the chunk framing:"
                    + " try chunkedEncoding(false) or requestChecksumCalculation(WHEN_REQUIRED))";
        } else if (!head.metadata().containsKey(S3FileStore.META_FILENAME) || digestInMetadata
                && (!sha256.equals(head.metadata().get(S3FileStore.META_SHA256))
                || !crc32c.equals(head.metadata().get(S3FileStore.META_CRC32C)))) {
            problem = "the server did not keep the checksum metadata (has " + head.metadata() + ")";
        } else if (!matchesIfPresent(head.metadata().get(S3FileStore.META_SHA256), sha256)
                || !matchesIfPresent(head.metadata().get(S3FileStore.META_CRC32C), crc32c)) {
            problem = "the object's digest metadata does not match the bytes sent (has " + head.metadata() + ")";
        } else if (isFullObject(head.checksumSHA256()) && !head.checksumSHA256().equals(base64OfHex(sha256))) {
            problem = "the server's SHA-256 checksum " + head.checksumSHA256() + " does not match the bytes sent ("
                    + base64OfHex(sha256) + ")";
        } else if (isFullObject(serverCrc) && !serverCrc.equals(crc32c)) {
            problem = "the server's CRC32C checksum " + serverCrc + " does not match the bytes sent (" + crc32c + ")";
        } else if (serverCrc != null && !isFullObject(serverCrc) && composite != null && !serverCrc.equals(composite)) {
            problem = "the server's composite CRC32C checksum " + serverCrc + " does not match the parts sent ("
                    + composite + ")";
        } else if (!isFullObject(head.checksumSHA256()) && !isFullObject(serverCrc)
                && (serverCrc == null || composite == null)) {
            // the server vouches for nothing: only the bytes it returns can show what it holds
            if (mode.sendsChecksums() && checksums.adaptive()) {
                mode = checksums.fallBack(mode, ChecksumMode.NONE_VERIFY_BY_READ,
                        "accepted the " + describe(mode) + " but reports no checksum for the object it stored");
            }
            if (checkEtags && etagsMatch && eTag != null && eTag.equals(head.eTag())) {
                // the server hashed exactly the bytes sent (MD5 ETags of every part and of the upload): no read-back
                LOG.debug("Verified {} by its ETag {} ({} bytes)", key, head.eTag(), size);
            } else {
                problem = readBackProblem(size, crc32c, digestInMetadata);
            }
        }
        if (problem != null) {
            deleteQuietly();
            if (!digestInMetadata) {
                deleteQuietly(digestKey);
            }
            throw new StorageException("Uploaded '" + key + "' to S3 bucket '" + bucket + "' but " + problem
                    + "; the object was deleted and nothing was stored", null, false);
        }
        return head;
    }

    /**
     * Reads the object back, streaming, and compares its length and CRC32C with what was sent.
     *
     * @return what differs, or {@code null} if it holds exactly what was sent
     */
    private String readBackProblem(long size, String crc32c, boolean digestInMetadata) {
        CRC32C back = new CRC32C();
        long n = 0;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf)) >= 0) {
                back.update(buf, 0, r);
                n += r;
                if (n > size) {
                    in.abort();
                    return "reading it back gave more than the " + size + " bytes sent";
                }
            }
        } catch (SdkException | IOException e) {
            deleteQuietly();
            if (!digestInMetadata) {
                deleteQuietly(digestKey);
            }
            StorageException failed = e instanceof SdkException sdk
                    ? S3Errors.wrap("Reading back the uploaded object '" + key + "' to verify it", bucket, sdk)
                    : new StorageException("Reading back the uploaded object '" + key + "' in S3 bucket '" + bucket
                            + "' to verify it failed: " + e.getMessage(), e, true);
            throw failed;
        }
        if (n != size) {
            return "reading it back gave " + n + " bytes but " + size + " were sent";
        }
        String got = crc32c(back);
        if (!got.equals(crc32c)) {
            return "reading it back gave different bytes (CRC32C " + got + ", sent " + crc32c + ")";
        }
        LOG.debug("Verified {} by reading it back ({} bytes)", key, size);
        return null;
    }

    private static boolean matchesIfPresent(String stored, String expected) {
        return stored == null || stored.equals(expected);
    }

    /** @return whether a stored checksum is present and covers the whole object (not a composite {@code xxx-N}) */
    private static boolean isFullObject(String checksum) {
        return checksum != null && !checksum.contains("-");
    }

    private void deleteQuietly() {
        deleteQuietly(key);
    }

    private void deleteQuietly(String objectKey) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey));
        } catch (SdkException e) {
            LOG.warn("Could not delete incomplete object {} from bucket {}: {}", objectKey, bucket, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    private Map<String, String> metadata(String sha256, String crc32c) {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(S3FileStore.META_FILENAME, ContentDisposition.encode(ContentDisposition.shorten(file.filename())));
        if (sha256 != null) {
            metadata.put(S3FileStore.META_SHA256, sha256);
        }
        if (crc32c != null) {
            metadata.put(S3FileStore.META_CRC32C, crc32c);
        }
        return metadata;
    }

    /** @return a CRC32C value as S3 writes it: the 4 bytes, big-endian, in base64 */
    static String crc32c(CRC32C crc) {
        int v = (int) crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static byte[] md5(byte[] buf, int len) {
        MessageDigest md5 = newMd5();
        md5.update(buf, 0, len);
        return md5.digest();
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /**
     * @param partMd5s the MD5 of each part by part number
     * @param parts how many parts the upload has
     * @return the ETag S3 gives a multipart object: the hex MD5 of the parts' MD5s, {@code -N}; {@code null} if a
     *     part's MD5 is missing
     */
    static String multipartEtag(Map<Integer, byte[]> partMd5s, int parts) {
        MessageDigest md5 = newMd5();
        for (int i = 1; i <= parts; i++) {
            byte[] part = partMd5s.get(i);
            if (part == null) {
                return null;
            }
            md5.update(part);
        }
        return HexFormat.of().formatHex(md5.digest()) + "-" + parts;
    }

    /**
     * Records whether an ETag the server answered is the MD5 expected. ETags are opaque (encrypted objects have
     * others): a mismatch only means the object is read back to verify it, never that the save fails.
     */
    private void noteEtag(String eTag, String... expected) {
        String got = eTag == null ? null : eTag.replace("\"", "").toLowerCase(java.util.Locale.ROOT);
        if (got == null || !Arrays.asList(expected).contains(got)) {
            etagsMatch = false;
        }
    }

    static String base64OfHex(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    /** The parts of one multipart upload in flight, and the buffers they use. */
    private final class Parts {
        private final String uploadId;
        private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
        private final List<Future<CompletedPart>> futures = new ArrayList<>();
        private final List<PartTask> tasks = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Object lock = new Object();
        private int pending; // guarded by lock
        private int allocated = 2; // the first two buffers, from run()
        /** The MD5 of each part sent, by part number, when the upload checks ETags. */
        final Map<Integer, byte[]> md5s = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile boolean stopped;

        Parts(String uploadId) {
            this.uploadId = uploadId;
        }

        void submit(int partNumber, byte[] buf, int len) {
            PartTask task = new PartTask(this, partNumber, buf, len);
            synchronized (lock) {
                pending++;
            }
            try {
                futures.add(executor.submit(task::call));
                tasks.add(task);
            } catch (RejectedExecutionException e) {
                finished(buf);
                throw new StorageException("The S3 store is closed; '" + key + "' was not stored", e, false);
            }
        }

        /** @return a free part buffer, waiting while {@code maxConcurrency} parts are in flight */
        byte[] takeBuffer() throws IOException {
            while (true) {
                rethrowFailure();
                byte[] buf = free.poll();
                if (buf != null) {
                    return buf;
                }
                if (allocated < options.maxConcurrency() + 1) {
                    allocated++;
                    return new byte[options.partSize()];
                }
                try {
                    buf = free.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("Interrupted while uploading '" + key + "'");
                }
                if (buf != null) {
                    return buf;
                }
            }
        }

        void giveBack(byte[] buf) {
            free.offer(buf);
        }

        void finished(byte[] buf) {
            free.offer(buf);
            synchronized (lock) {
                pending--;
                lock.notifyAll();
            }
        }

        void failed(Throwable t) {
            failure.compareAndSet(null, t);
        }

        private void rethrowFailure() throws IOException {
            Throwable t = failure.get();
            if (t != null) {
                throw propagate(t);
            }
        }

        List<CompletedPart> awaitAll() throws IOException {
            List<CompletedPart> results = new ArrayList<>(futures.size());
            for (Future<CompletedPart> f : futures) {
                try {
                    results.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("Interrupted while uploading '" + key + "'");
                } catch (ExecutionException e) {
                    throw propagate(e.getCause());
                }
            }
            return results;
        }

        /** Stops parts not yet started, interrupts those running, and waits until none is left. */
        void stopAndAwait() {
            stopped = true;
            for (PartTask t : tasks) {
                t.interrupt();
            }
            boolean interrupted = false;
            synchronized (lock) {
                while (pending > 0) {
                    try {
                        lock.wait(100);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private IOException propagate(Throwable t) {
            if (t instanceof IOException io) {
                return io;
            }
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
            return new IOException(t);
        }
    }

    /** One part upload; it can be interrupted while it runs, and skips its work once the upload stopped. */
    private final class PartTask {
        private final Parts parts;
        private final int partNumber;
        private final byte[] buf;
        private final int len;
        private Thread runner; // guarded by this
        private boolean done; // guarded by this

        PartTask(Parts parts, int partNumber, byte[] buf, int len) {
            this.parts = parts;
            this.partNumber = partNumber;
            this.buf = buf;
            this.len = len;
        }

        CompletedPart call() {
            synchronized (this) {
                runner = Thread.currentThread();
            }
            try {
                if (parts.stopped) {
                    return null;
                }
                return uploadPart(parts.uploadId, partNumber, buf, len, parts.md5s);
            } catch (RuntimeException | Error e) {
                parts.failed(e);
                throw e;
            } finally {
                synchronized (this) {
                    runner = null;
                    done = true;
                }
                Thread.interrupted(); // an interrupt meant for this part must not reach the executor's next task
                parts.finished(buf);
            }
        }

        synchronized void interrupt() {
            if (runner != null && !done) {
                runner.interrupt();
            }
        }
    }
}
