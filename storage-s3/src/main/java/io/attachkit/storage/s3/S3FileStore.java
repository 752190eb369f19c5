package io.attachkit.storage.s3;

import io.attachkit.AbstractFileStore;
import io.attachkit.Attachment;
import io.attachkit.IncomingFile;
import io.attachkit.ProcessedContent;
import io.attachkit.StorageException;
import io.attachkit.StorageLimits;
import io.attachkit.StoreHealth;
import io.attachkit.StoredFile;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.internal.StoragePaths;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link io.attachkit.FileStore} that keeps files in an S3 bucket (Amazon S3 or any S3-compatible server:
 * MinIO, Ceph, Cloudflare R2, S3Proxy), under the same sharded layout as the local store: the file with id
 * {@code abcdef...} saved as {@code report.pdf} is the object {@code <keyPrefix>ab/cdef....pdf}.
 *
 * <pre>{@code
 * S3FileStore store = S3FileStore.builder()
 *     .bucket("my-bucket")
 *     .keyPrefix("attachments")
 *     .region("eu-west-1")
 *     .build();                          // credentials from the SDK's default chain
 * StoredFile f = store.save(in, "report.pdf", null);
 * URI link = store.presignedUrl(f.fileId(), f.storagePath());
 * }</pre>
 *
 * <p>Uploads stream: content that fits in one part ({@link Builder#partSize(long)}, 8 MiB by default) is one
 * PutObject; longer content is a multipart upload with at most {@link Builder#maxConcurrency(int)} parts in
 * flight, so memory per upload is bounded by {@code partSize * (maxConcurrency + 1)} whatever the file size.
 * Every object carries its Content-Type, a safe Content-Disposition and the original filename. The SHA-256 and
 * CRC32C of its bytes are in its metadata ({@code sha256}, {@code crc32c}; the SHA-256 is also the S3 checksum)
 * for single-request uploads, and in a small digest record under the hidden {@code .attachkit-digests/} folder
 * for multipart uploads (which carry S3's full-object CRC32C checksum, or less where the server refuses it: see
 * {@link Builder#checksumMode(ChecksumMode)}), see {@link DigestRecord}, unless
 * {@link Builder#sha256InObjectMetadata(boolean)} asks for them in the object's own metadata; after each upload the
 * store checks that the server holds exactly what was sent. Any failure aborts the multipart upload and
 * leaves no object. Reads check the length and the CRC32C (else the SHA-256) at the end of the stream.
 *
 * <p>SDK failures surface as {@link StorageException} (with {@link StorageException#retryable()} true for
 * throttling, 5xx and network errors, after the SDK's own retries) or {@link StoredFileNotFoundException};
 * the SDK exception is the cause. Thread-safe; {@link #close()} releases the HTTP client and threads.
 */
public final class S3FileStore extends AbstractFileStore {
    private static final Logger LOG = LoggerFactory.getLogger(S3FileStore.class);
    /** The name written to {@code storage_backend}. */
    public static final String BACKEND_NAME = "s3";
    /** Object metadata key of the hex SHA-256 ({@code x-amz-meta-sha256}). */
    static final String META_SHA256 = "sha256";
    /** Object metadata key of the original filename, RFC 8187 percent-encoded ({@code x-amz-meta-filename}). */
    static final String META_FILENAME = "filename";
    /** Object metadata key of the base64 CRC32C that reads are checked against ({@code x-amz-meta-crc32c}). */
    static final String META_CRC32C = "crc32c";
    private static final long MIB = 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final AwsCredentialsProvider ownedCredentials;
    private final ExecutorService partExecutor;
    private final String bucket;
    private final String keyPrefix;
    private final WriteOptions writeOptions;
    private final ChecksumSupport checksums;
    private final boolean verifyReads;
    private final Duration presignedUrlExpiry;
    private final int listPageSize;

    private S3FileStore(Builder b, StorageLimits limits) {
        super(BACKEND_NAME, limits);
        this.bucket = b.bucket;
        this.keyPrefix = b.keyPrefix;
        this.verifyReads = b.verifyReads;
        this.presignedUrlExpiry = b.presignedUrlExpiry;
        this.listPageSize = b.listPageSize;
        // With unknown length, the part size decides the largest object (10,000 parts): grow it to fit the limit.
        long needed = ceilDiv(limits.maxFileSize(), ObjectUpload.MAX_PARTS);
        long partSize = Math.max(b.partSize, ceilDiv(needed, MIB) * MIB);
        if (partSize > Builder.MAX_PART_SIZE) {
            throw new IllegalArgumentException("maxFileSize " + limits.maxFileSize() + " needs parts larger than "
                    + Builder.MAX_PART_SIZE + " bytes (S3 allows 10,000 parts per upload)");
        }
        this.checksums = new ChecksumSupport(b.checksumMode, (b.endpointOverride != null ? b.endpointOverride.toString()
                : "AWS") + " (bucket " + b.bucket + ")");
        this.writeOptions = new WriteOptions((int) partSize, b.maxConcurrency, b.storageClass,
                b.serverSideEncryption, b.kmsKeyId, b.abortTimeout, b.sha256InObjectMetadata, b.maxCopyObjectSize,
                b.copyPartSize);

        Region region = resolveRegion(b);
        AwsCredentialsProvider credentials = b.credentialsProvider;
        this.ownedCredentials = credentials == null ? DefaultCredentialsProvider.builder().build() : null;
        if (credentials == null) {
            credentials = ownedCredentials;
        }
        RetryStrategy retryStrategy = b.retryStrategy != null ? b.retryStrategy
                : AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(b.maxAttempts)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(b.retryBaseDelay, b.retryMaxBackoff))
                        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(b.throttlingBaseDelay, b.retryMaxBackoff))
                        .build();
        S3Configuration serviceConfiguration = S3Configuration.builder()
                .pathStyleAccessEnabled(b.pathStyleAccess)
                .chunkedEncodingEnabled(b.chunkedEncoding)
                .build();
        var clientBuilder = S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfiguration)
                .requestChecksumCalculation(b.requestChecksumCalculation)
                .responseChecksumValidation(b.responseChecksumValidation)
                .overrideConfiguration(o -> {
                    o.retryStrategy(retryStrategy);
                    o.apiCallAttemptTimeout(b.attemptTimeout);
                })
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(Math.max(50, b.maxConcurrency * 4))
                        .connectionTimeout(b.connectionTimeout)
                        .socketTimeout(b.socketTimeout));
        var presignerBuilder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(serviceConfiguration);
        if (b.endpointOverride != null) {
            clientBuilder.endpointOverride(b.endpointOverride);
            presignerBuilder.endpointOverride(b.endpointOverride);
        }
        this.s3 = clientBuilder.build();
        this.presigner = presignerBuilder.build();
        AtomicInteger threads = new AtomicInteger();
        // Threads are bounded by the part buffers of the uploads running (maxConcurrency + 1 each).
        this.partExecutor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "attachkit-s3-part-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static Region resolveRegion(Builder b) {
        if (b.region != null) {
            return b.region;
        }
        if (b.endpointOverride != null) {
            return Region.US_EAST_1; // S3-compatible servers rarely care; SigV4 needs some region
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            throw new IllegalArgumentException("region is not set and the SDK found none (AWS_REGION, ~/.aws/config):"
                    + " set S3FileStore.builder().region(...) or the region= URI parameter", e);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the bucket */
    public String bucket() {
        return bucket;
    }

    /** @return the key prefix, empty or ending with {@code /} */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** @return bytes per multipart part (grown, if needed, so the maximum file size fits in 10,000 parts) */
    public int partSize() {
        return writeOptions.partSize();
    }

    /** @return parts of one upload in flight at once */
    public int maxConcurrency() {
        return writeOptions.maxConcurrency();
    }

    /**
     * @return whether multipart objects are rewritten after completion so their own metadata carries the SHA-256
     *     (see {@link Builder#sha256InObjectMetadata(boolean)})
     */
    public boolean sha256InObjectMetadata() {
        return writeOptions.sha256InObjectMetadata();
    }

    /** @return the checksum mode the store was built with (see {@link Builder#checksumMode(ChecksumMode)}) */
    public ChecksumMode checksumMode() {
        return checksums.configured();
    }

    /**
     * @return the checksum mode new uploads use: the configured one, or with {@link ChecksumMode#AUTO} the mode this
     *     store's endpoint has shown it supports so far ({@link ChecksumMode#FULL_OBJECT} until it refuses something)
     */
    public ChecksumMode checksumModeInEffect() {
        return checksums.current();
    }

    /** @return how long presigned URLs stay valid unless a call says otherwise */
    public Duration presignedUrlExpiry() {
        return presignedUrlExpiry;
    }

    /**
     * @param storagePath a storage path such as {@code ab/cdef.pdf}
     * @return the object key it is stored under
     * @throws io.attachkit.UnsafePathException if the path is not one this library writes
     */
    public String objectKey(String storagePath) {
        StoragePaths.fileIdOf(storagePath);
        return keyPrefix + storagePath;
    }

    // ------------------------------------------------------------------ raw operations

    @Override
    protected void doSave(IncomingFile file) throws IOException {
        new ObjectUpload(s3, partExecutor, writeOptions, checksums, bucket, keyPrefix + file.storagePath(),
                digestKey(file.storagePath()), file).run();
    }

    @Override
    protected InputStream doOpen(String fileId, String storagePath) {
        String key = storagePath != null ? keyPrefix + storagePath : findKey(fileId);
        ResponseInputStream<GetObjectResponse> response;
        try {
            response = s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                if (storagePath != null) {
                    return doOpen(fileId, null); // the hint may carry another extension; the id decides
                }
                throw notFound(fileId);
            }
            throw S3Errors.wrap("Reading '" + key + "'", bucket, e);
        }
        GetObjectResponse r = response.response();
        String crc32c = verifyReads ? r.metadata().get(META_CRC32C) : null;
        String sha256 = verifyReads ? r.metadata().get(META_SHA256) : null;
        long size = r.contentLength() == null ? -1 : r.contentLength();
        if (verifyReads && crc32c == null && sha256 == null) {
            try {
                DigestRecord record = DigestRecord.read(s3, bucket, digestKeyOf(key), size);
                if (record != null) {
                    crc32c = record.crc32c();
                    sha256 = record.sha256();
                }
            } catch (RuntimeException e) {
                response.abort();
                throw e;
            }
        }
        return new S3ObjectInputStream(response, key, size, crc32c, sha256);
    }

    /** Reads a whole file; a damaged or truncated object is a non-retryable {@link StorageException}. */
    @Override
    public byte[] get(String fileId, String storagePath) {
        try (InputStream in = open(fileId, storagePath)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new StorageException("Reading file '" + fileId + "' from S3 bucket '" + bucket + "' failed: " + e.getMessage(),
                    e, !(e instanceof S3ObjectInputStream.DamagedObjectException));
        }
    }

    @Override
    protected StoredFile doStat(String fileId, String storagePath) {
        String key = storagePath != null ? keyPrefix + storagePath : findKey(fileId);
        HeadObjectResponse head = head(fileId, key);
        if (head == null) {
            if (storagePath != null) {
                return doStat(fileId, null);
            }
            throw notFound(fileId);
        }
        return toStoredFile(fileId, key, head);
    }

    private StoredFile toStoredFile(String fileId, String key, HeadObjectResponse head) {
        String sha256 = head.metadata().get(META_SHA256);
        if (sha256 == null) {
            DigestRecord record = DigestRecord.read(s3, bucket, digestKeyOf(key), head.contentLength());
            sha256 = record == null ? null : record.sha256();
        }
        return new StoredFile(fileId, key.substring(keyPrefix.length()), BACKEND_NAME, head.contentLength(),
                sha256, head.contentType(), head.lastModified(),
                ContentDisposition.decode(head.metadata().get(META_FILENAME)));
    }

    /** @return the HEAD response, or {@code null} if there is no such object */
    private HeadObjectResponse head(String fileId, String key) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return null;
            }
            throw S3Errors.wrap("Reading metadata of '" + key + "'", bucket, e);
        }
    }

    @Override
    protected long doDelete(String fileId, String storagePath) {
        String key = storagePath != null ? keyPrefix + storagePath : findKey(fileId);
        HeadObjectResponse head = head(fileId, key);
        if (head == null) {
            if (storagePath != null) {
                return doDelete(fileId, null);
            }
            throw notFound(fileId);
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw S3Errors.wrap("Deleting '" + key + "'", bucket, e);
        }
        // A multipart object (always over 5 MiB) may have a digest record: the only one when its metadata has no
        // SHA-256, or a leftover when a sha256InObjectMetadata rewrite succeeded but the record's delete did not.
        if (!head.metadata().containsKey(META_SHA256) || head.contentLength() > Builder.MIN_PART_SIZE) {
            String digestKey = digestKeyOf(key);
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(digestKey));
            } catch (SdkException e) {
                // the file is gone; a stray record is invisible and ignored
                LOG.warn("Deleted {} but not its digest record {} in bucket {}: {}", key, digestKey, bucket, e.getMessage());
            }
        }
        return head.contentLength();
    }

    @Override
    protected boolean doExists(String fileId, String storagePath) {
        if (storagePath != null && head(fileId, keyPrefix + storagePath) != null) {
            return true;
        }
        return lookUp(fileId) != null;
    }

    @Override
    protected List<String> doList() {
        List<String> ids = new ArrayList<>();
        forEachFile((id, object) -> ids.add(id));
        return ids;
    }

    /** Sums object sizes from one paginated listing (no request per object). */
    @Override
    public long storageSize() {
        long[] total = {0};
        forEachFile((id, object) -> total[0] += StoragePaths.isDerivedRecordId(id) ? 0 : object.size());
        return total[0];
    }

    /** Counts objects from one paginated listing. */
    @Override
    public long fileCount() {
        long[] count = {0};
        forEachFile((id, object) -> count[0] += StoragePaths.isDerivedRecordId(id) ? 0 : 1);
        return count[0];
    }

    private interface FileVisitor {
        void visit(String fileId, S3Object object);
    }

    private void forEachFile(FileVisitor visitor) {
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix)
                .maxKeys(listPageSize).build();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
                String id = fileIdOfKey(object.key());
                if (id != null) {
                    visitor.visit(id, object);
                }
            }
        } catch (SdkException e) {
            throw S3Errors.wrap("Listing '" + keyPrefix + "'", bucket, e);
        }
    }

    /** @return the key of the digest record of a multipart object, see {@link DigestRecord} */
    private String digestKey(String storagePath) {
        return keyPrefix + DigestRecord.DIRECTORY + storagePath;
    }

    private String digestKeyOf(String key) {
        return digestKey(key.substring(keyPrefix.length()));
    }

    /** @return the file id the key names, or {@code null} for keys outside this store's layout (digest records included) */
    private String fileIdOfKey(String key) {
        if (!key.startsWith(keyPrefix) || key.startsWith(keyPrefix + DigestRecord.DIRECTORY)) {
            return null;
        }
        try {
            return StoragePaths.fileIdOf(key.substring(keyPrefix.length()));
        } catch (RuntimeException notOurs) {
            LOG.debug("Ignoring object {} in bucket {}: not an attachkit storage path", key, bucket);
            return null;
        }
    }

    private String findKey(String fileId) {
        String key = lookUp(fileId);
        if (key == null) {
            throw notFound(fileId);
        }
        return key;
    }

    /** Finds the key of an id whose extension is unknown: one listing of {@code prefix/ab/cdef}. */
    private String lookUp(String fileId) {
        String prefix = keyPrefix + StoragePaths.layout(fileId, "");
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(100).build();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
                if (fileId.equals(fileIdOfKey(object.key()))) {
                    return object.key();
                }
            }
            return null;
        } catch (SdkException e) {
            throw S3Errors.wrap("Looking up file '" + fileId + "'", bucket, e);
        }
    }

    /**
     * Checks that the bucket is reachable, then that it can be listed, written, read back and deleted from. The
     * details say which checksum mode uploads use ({@value #HEALTH_CHECKSUM_MODE}) and, after a fall-back, why.
     */
    @Override
    public StoreHealth checkHealth() {
        StoreHealth health;
        try {
            s3.headBucket(b -> b.bucket(bucket));
            health = super.checkHealth();
        } catch (SdkException e) {
            health = new StoreHealth(false, BACKEND_NAME, -1, -1,
                    List.of("bucket not reachable: " + S3Errors.wrap("HEAD bucket", bucket, e).getMessage()));
        }
        return health.withDetails(java.util.Map.of(HEALTH_CHECKSUM_MODE, checksums.describe()));
    }

    /** The {@link StoreHealth#details()} key that says which checksum mode is in effect, and why. */
    public static final String HEALTH_CHECKSUM_MODE = "checksum_mode";

    // ------------------------------------------------------------------ presigned URLs

    /**
     * A time-limited URL that lets anyone holding it GET the file straight from S3, valid for
     * {@link #presignedUrlExpiry()}. With a storage path hint no request is made; without one the key is
     * looked up.
     *
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @return the presigned URL
     * @throws StoredFileNotFoundException if there is no hint and no such file
     */
    public URI presignedUrl(String fileId, String storagePath) {
        return presignedUrl(fileId, storagePath, presignedUrlExpiry);
    }

    /**
     * @param fileId the file's id
     * @param storagePath the storage path hint, or {@code null}
     * @param expiry how long the URL stays valid: more than zero, at most 7 days
     * @return the presigned URL
     * @throws StoredFileNotFoundException if there is no hint and no such file
     */
    public URI presignedUrl(String fileId, String storagePath, Duration expiry) {
        Builder.checkExpiry("expiry", expiry);
        String id = StoragePaths.requireFileId(fileId);
        String hint = StoragePaths.checkHint(id, storagePath);
        String key = hint != null ? keyPrefix + hint : findKey(id);
        try {
            return presigner.presignGetObject(p -> p.signatureDuration(expiry).getObjectRequest(g -> g.bucket(bucket).key(key)))
                    .url().toURI();
        } catch (SdkException | java.net.URISyntaxException e) {
            throw new StorageException("Presigning a URL for '" + key + "' in S3 bucket '" + bucket + "' failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opt-in: sets {@code processed_content.url} of a stored attachment to a presigned S3 URL (valid for
     * {@link #presignedUrlExpiry()}) instead of the default {@code /files/...} path.
     *
     * @param attachment an attachment stored in this store
     * @return the URL that was set
     * @throws IllegalArgumentException if the attachment is not stored in an S3 store
     */
    public URI updateProcessedContentWithPresignedUrl(Attachment attachment) {
        Objects.requireNonNull(attachment, "attachment");
        if (attachment.fileId() == null || !BACKEND_NAME.equals(attachment.storageBackend())) {
            throw new IllegalArgumentException("Attachment '" + attachment.filename() + "' is not stored in an S3 store"
                    + " (storage_backend=" + attachment.storageBackend() + ")");
        }
        URI url = presignedUrl(attachment.fileId(), attachment.storagePath());
        attachment.updateProcessedContent(pc -> pc.with(ProcessedContent.URL, url.toString()));
        return url;
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * Aborts multipart uploads under this store's prefix that were started before {@code olderThan} ago:
     * leftovers of processes that died mid-upload. (A bucket lifecycle rule
     * {@code AbortIncompleteMultipartUpload} does the same without a caller.)
     *
     * @param olderThan how old an upload must be to count as abandoned
     * @return how many uploads were aborted
     */
    public int abortIncompleteUploads(Duration olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        Instant cutoff = Instant.now().minus(olderThan);
        int aborted = 0;
        try {
            for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(keyPrefix)).uploads()) {
                if (upload.initiated() == null || upload.initiated().isBefore(cutoff)) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
                    aborted++;
                }
            }
        } catch (SdkException e) {
            throw S3Errors.wrap("Aborting incomplete uploads under '" + keyPrefix + "'", bucket, e);
        }
        if (aborted > 0) {
            LOG.info("Aborted {} incomplete multipart upload(s) under {} in bucket {}", aborted, keyPrefix, bucket);
        }
        return aborted;
    }

    /** Closes the S3 client, the presigner, the part upload threads and credentials the store created. */
    @Override
    public void close() {
        partExecutor.shutdownNow();
        presigner.close();
        s3.close();
        if (ownedCredentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("Closing the credentials provider failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "S3FileStore{bucket=" + bucket + ", keyPrefix=" + keyPrefix + ", partSize=" + writeOptions.partSize()
                + ", maxConcurrency=" + writeOptions.maxConcurrency() + ", sha256InObjectMetadata="
                + writeOptions.sha256InObjectMetadata() + ", checksumMode=" + checksums.describe() + "}";
    }

    /**
     * Builds an {@link S3FileStore}. Each setter checks its value at once; {@link #build()} checks the rest.
     * Only {@link #bucket(String)} is required.
     */
    public static final class Builder {
        static final long MIN_PART_SIZE = 5 * MIB;
        static final long MAX_PART_SIZE = 1024 * MIB;
        static final Duration MAX_PRESIGN_EXPIRY = Duration.ofDays(7);

        private String bucket;
        private String keyPrefix = "";
        private Region region;
        private URI endpointOverride;
        private boolean pathStyleAccess;
        private AwsCredentialsProvider credentialsProvider;
        private StorageClass storageClass;
        private ServerSideEncryption serverSideEncryption;
        private String kmsKeyId;
        private long partSize = 8 * MIB;
        private int maxConcurrency = 4;
        private ChecksumMode checksumMode = ChecksumMode.AUTO;
        private boolean chunkedEncoding = true;
        private RequestChecksumCalculation requestChecksumCalculation = RequestChecksumCalculation.WHEN_SUPPORTED;
        private ResponseChecksumValidation responseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        private boolean verifyReads = true;
        private int maxAttempts = 5;
        private Duration retryBaseDelay = Duration.ofMillis(100);
        private Duration throttlingBaseDelay = Duration.ofMillis(500);
        private Duration retryMaxBackoff = Duration.ofSeconds(20);
        private RetryStrategy retryStrategy;
        private Duration presignedUrlExpiry = Duration.ofMinutes(15);
        private Duration abortTimeout = Duration.ofSeconds(30);
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private Duration socketTimeout = Duration.ofSeconds(60);
        private Duration attemptTimeout = Duration.ofMinutes(5);
        private StorageLimits limits;
        private int listPageSize = 1000;
        private boolean sha256InObjectMetadata;
        private long maxCopyObjectSize = 5L * 1024 * MIB;
        private long copyPartSize = 1024 * MIB;

        private Builder() {
        }

        /**
         * @param bucket the bucket name (required)
         * @return this builder
         */
        public Builder bucket(String bucket) {
            if (bucket == null || bucket.isBlank() || bucket.length() > 255 || !bucket.matches("[A-Za-z0-9._:-]+")) {
                throw new IllegalArgumentException("bucket must be a bucket name such as 'my-bucket', was "
                        + StoragePaths.quote(bucket));
            }
            this.bucket = bucket;
            return this;
        }

        /**
         * @param keyPrefix the folder in the bucket that holds the files, e.g. {@code attachments} (slashes at
         *     either end are ignored); empty for the bucket's root
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            String p = keyPrefix.strip();
            while (p.startsWith("/")) {
                p = p.substring(1);
            }
            while (p.endsWith("/")) {
                p = p.substring(0, p.length() - 1);
            }
            if (!p.isEmpty()) {
                for (String segment : p.split("/", -1)) {
                    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                            || !segment.matches("[A-Za-z0-9._=+@-]+")) {
                        throw new IllegalArgumentException("keyPrefix must be '/'-separated segments of letters, digits"
                                + " and ._=+@- (no empty, '.' or '..' segments), was " + StoragePaths.quote(keyPrefix));
                    }
                }
                if (p.length() > 512) {
                    throw new IllegalArgumentException("keyPrefix must be at most 512 characters, was " + p.length());
                }
            }
            this.keyPrefix = p.isEmpty() ? "" : p + "/";
            return this;
        }

        /**
         * @param region the AWS region, e.g. {@code eu-west-1}; default: the SDK's region chain, or
         *     {@code us-east-1} with an endpoint override
         * @return this builder
         */
        public Builder region(String region) {
            if (region == null || !region.matches("[a-z0-9-]{2,40}")) {
                throw new IllegalArgumentException("region must look like 'eu-west-1', was " + StoragePaths.quote(region));
            }
            this.region = Region.of(region);
            return this;
        }

        /**
         * @param endpoint the S3-compatible server, e.g. {@code http://localhost:9000}; default: AWS
         * @return this builder
         */
        public Builder endpointOverride(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpointOverride");
            String scheme = endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("endpointOverride must be an http(s) URL such as http://localhost:9000, was "
                        + endpoint);
            }
            this.endpointOverride = endpoint;
            return this;
        }

        /**
         * @param pathStyle {@code true} for {@code http://host/bucket/key} URLs (MinIO, Ceph, S3Proxy usually
         *     need it); default {@code false} (virtual-hosted {@code http://bucket.host/key})
         * @return this builder
         */
        public Builder pathStyleAccess(boolean pathStyle) {
            this.pathStyleAccess = pathStyle;
            return this;
        }

        /**
         * @param provider where credentials come from; default: the SDK's default chain (environment, system
         *     properties, profile, container and instance roles)
         * @return this builder
         */
        public Builder credentialsProvider(AwsCredentialsProvider provider) {
            this.credentialsProvider = Objects.requireNonNull(provider, "credentialsProvider");
            return this;
        }

        /**
         * @param storageClass e.g. {@code STANDARD_IA}; default: the bucket's
         * @return this builder
         */
        public Builder storageClass(String storageClass) {
            StorageClass sc = storageClass == null ? null : StorageClass.fromValue(storageClass.toUpperCase(Locale.ROOT));
            if (sc == null || sc == StorageClass.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException("storageClass must be one of " + StorageClass.knownValues() + ", was "
                        + StoragePaths.quote(storageClass));
            }
            this.storageClass = sc;
            return this;
        }

        /**
         * @param encryption {@code AES256} or {@code aws:kms}; default: the bucket's
         * @return this builder
         */
        public Builder serverSideEncryption(String encryption) {
            ServerSideEncryption sse = encryption == null ? null : ServerSideEncryption.fromValue(encryption);
            if (sse == null || sse == ServerSideEncryption.UNKNOWN_TO_SDK_VERSION) {
                throw new IllegalArgumentException("serverSideEncryption must be one of " + ServerSideEncryption.knownValues()
                        + ", was " + StoragePaths.quote(encryption));
            }
            this.serverSideEncryption = sse;
            return this;
        }

        /**
         * @param keyId the KMS key for {@code aws:kms} encryption
         * @return this builder
         */
        public Builder kmsKeyId(String keyId) {
            if (keyId == null || keyId.isBlank()) {
                throw new IllegalArgumentException("kmsKeyId must not be blank");
            }
            this.kmsKeyId = keyId;
            return this;
        }

        /**
         * @param bytes bytes per multipart part, 5 MiB to 1 GiB (default 8 MiB); also the largest object sent
         *     as one PutObject. Memory per upload is at most {@code partSize * (maxConcurrency + 1)}.
         * @return this builder
         */
        public Builder partSize(long bytes) {
            if (bytes < MIN_PART_SIZE || bytes > MAX_PART_SIZE) {
                throw new IllegalArgumentException("partSize must be between " + MIN_PART_SIZE + " (5 MiB, S3's minimum) and "
                        + MAX_PART_SIZE + " bytes, was " + bytes);
            }
            this.partSize = bytes;
            return this;
        }

        /**
         * @param parts parts of one upload in flight at once, 1 to 64 (default 4)
         * @return this builder
         */
        public Builder maxConcurrency(int parts) {
            if (parts < 1 || parts > 64) {
                throw new IllegalArgumentException("maxConcurrency must be between 1 and 64, was " + parts);
            }
            this.maxConcurrency = parts;
            return this;
        }

        /**
         * @param enabled {@code false} is {@link #checksumMode(ChecksumMode) checksumMode(NONE_VERIFY_BY_READ)}: no
         *     {@code x-amz-checksum-*} headers, every save verified by its MD5 ETags or read back; {@code true} is
         *     {@link ChecksumMode#AUTO}
         * @return this builder
         */
        public Builder objectChecksums(boolean enabled) {
            this.checksumMode = enabled ? ChecksumMode.AUTO : ChecksumMode.NONE_VERIFY_BY_READ;
            return this;
        }

        /**
         * Which checksums uploads send (default {@link ChecksumMode#AUTO}: full-object CRC32C, falling back to
         * composite and then to none, verified by reading back, as far as the endpoint needs). Whatever the mode,
         * each save is verified against what the server holds before it counts as stored; see {@link ChecksumMode}.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder checksumMode(ChecksumMode mode) {
            this.checksumMode = Objects.requireNonNull(mode, "checksumMode");
            return this;
        }

        /**
         * @param enabled whether the SDK may send bodies with {@code aws-chunked} encoding (default {@code true});
         *     turn off for servers that do not understand it
         * @return this builder
         */
        public Builder chunkedEncoding(boolean enabled) {
            this.chunkedEncoding = enabled;
            return this;
        }

        /**
         * @param calculation when the SDK adds its own request checksums (default {@code WHEN_SUPPORTED});
         *     {@code WHEN_REQUIRED} for servers that reject flexible checksums
         * @return this builder
         */
        public Builder requestChecksumCalculation(RequestChecksumCalculation calculation) {
            this.requestChecksumCalculation = Objects.requireNonNull(calculation, "requestChecksumCalculation");
            return this;
        }

        /**
         * @param validation when the SDK checks response checksums (default {@code WHEN_REQUIRED}: the store
         *     checks every read against the object's SHA-256 itself, see {@link #verifyReads(boolean)})
         * @return this builder
         */
        public Builder responseChecksumValidation(ResponseChecksumValidation validation) {
            this.responseChecksumValidation = Objects.requireNonNull(validation, "responseChecksumValidation");
            return this;
        }

        /**
         * @param enabled whether reads check length and SHA-256 at the end of the stream (default {@code true})
         * @return this builder
         */
        public Builder verifyReads(boolean enabled) {
            this.verifyReads = enabled;
            return this;
        }

        /**
         * @param attempts attempts per request including the first, 1 to 20 (default 5); throttling (503
         *     SlowDown, 429), 5xx and network errors are retried
         * @return this builder
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 20, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * @param delay base of the exponential backoff (with jitter) after a transient error (default 100 ms)
         * @return this builder
         */
        public Builder retryBaseDelay(Duration delay) {
            this.retryBaseDelay = checkPositive("retryBaseDelay", delay);
            return this;
        }

        /**
         * @param delay base of the exponential backoff after throttling (default 500 ms)
         * @return this builder
         */
        public Builder throttlingBaseDelay(Duration delay) {
            this.throttlingBaseDelay = checkPositive("throttlingBaseDelay", delay);
            return this;
        }

        /**
         * @param delay the longest wait between attempts (default 20 s)
         * @return this builder
         */
        public Builder retryMaxBackoff(Duration delay) {
            this.retryMaxBackoff = checkPositive("retryMaxBackoff", delay);
            return this;
        }

        /**
         * @param strategy an SDK retry strategy that replaces {@link #maxAttempts(int)} and the delays
         * @return this builder
         */
        public Builder retryStrategy(RetryStrategy strategy) {
            this.retryStrategy = Objects.requireNonNull(strategy, "retryStrategy");
            return this;
        }

        /**
         * @param expiry how long presigned URLs stay valid, more than zero and at most 7 days (default 15 min)
         * @return this builder
         */
        public Builder presignedUrlExpiry(Duration expiry) {
            this.presignedUrlExpiry = checkExpiry("presignedUrlExpiry", expiry);
            return this;
        }

        /**
         * @param timeout how long a failed upload keeps trying to abort its multipart upload (default 30 s)
         * @return this builder
         */
        public Builder abortTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "abortTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("abortTimeout must not be negative, was " + timeout);
            }
            this.abortTimeout = timeout;
            return this;
        }

        /**
         * @param timeout how long to wait for a connection (default 10 s)
         * @return this builder
         */
        public Builder connectionTimeout(Duration timeout) {
            this.connectionTimeout = checkPositive("connectionTimeout", timeout);
            return this;
        }

        /**
         * @param timeout how long a socket may stay silent (default 60 s)
         * @return this builder
         */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = checkPositive("socketTimeout", timeout);
            return this;
        }

        /**
         * @param timeout the longest one attempt of one request may take, sending included (default 5 minutes);
         *     a timed-out attempt is retried like a network error. The socket timeout only covers waiting for a
         *     response: a server that stops reading a request body blocks the sender's write, and only this
         *     timeout ends that wait (without it the upload hangs for good). Allow for a whole part at the
         *     slowest link speed you accept (8 MiB at 30 KB/s is about 5 minutes).
         * @return this builder
         */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = checkPositive("attemptTimeout", timeout);
            return this;
        }

        /**
         * @param limits the limits the store enforces; default: {@link StorageLimits#fromEnvironment()}
         * @return this builder
         */
        public Builder limits(StorageLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Opt-in: after a multipart upload completes, rewrite the object in place with a server-side copy
         * (CopyObject guarded by the ETag just written; UploadPartCopy above CopyObject's 5 GiB limit) so that its
         * own metadata carries {@code x-amz-meta-sha256} and {@code x-amz-meta-crc32c}, then delete its digest
         * record. For users whose other tools (backup checks, s3cmd, rclone, lambdas) must see the SHA-256 on the
         * object itself. Default {@code false}: the SHA-256 of a multipart object stays in a small digest record
         * under {@code .attachkit-digests/}, which the store reads for {@code stat} and read checks.
         *
         * <p>The copy costs a full server-side copy of each multipart object (measured against S3Proxy with 256 MiB:
         * the store's upload falls from about 0.75 to about 0.45-0.55 of a plain {@code putObject}). The digest
         * record is still written before completion, so the object is never visible without its SHA-256; if the
         * copy fails, the save still succeeds, the record keeps serving {@code stat} and reads, and a warning is
         * logged. Single-request uploads carry the SHA-256 in their metadata either way.
         *
         * @param enabled whether multipart objects get their SHA-256 into their own metadata
         * @return this builder
         */
        public Builder sha256InObjectMetadata(boolean enabled) {
            this.sha256InObjectMetadata = enabled;
            return this;
        }

        /** For tests: rewrite objects part by part with UploadPartCopy above this size (S3: 5 GiB). */
        Builder maxCopyObjectSize(long bytes, long partBytes) {
            if (bytes < 0 || partBytes < 1) {
                throw new IllegalArgumentException("maxCopyObjectSize must not be negative and copyPartSize must be positive,"
                        + " were " + bytes + " and " + partBytes);
            }
            this.maxCopyObjectSize = bytes;
            this.copyPartSize = partBytes;
            return this;
        }

        /** For tests: objects per listing page (S3: at most 1000). */
        Builder listPageSize(int keys) {
            this.listPageSize = keys;
            return this;
        }

        /**
         * @return a new store; the caller closes it
         * @throws IllegalStateException if no bucket was set
         * @throws IllegalArgumentException if the settings do not fit together
         */
        public S3FileStore build() {
            if (bucket == null) {
                throw new IllegalStateException("bucket is required: S3FileStore.builder().bucket(\"my-bucket\")");
            }
            if (kmsKeyId != null && serverSideEncryption != ServerSideEncryption.AWS_KMS
                    && serverSideEncryption != ServerSideEncryption.AWS_KMS_DSSE) {
                throw new IllegalArgumentException("kmsKeyId needs serverSideEncryption(\"aws:kms\"), was " + serverSideEncryption);
            }
            if (retryMaxBackoff.compareTo(retryBaseDelay) < 0 || retryMaxBackoff.compareTo(throttlingBaseDelay) < 0) {
                throw new IllegalArgumentException("retryMaxBackoff (" + retryMaxBackoff + ") must not be shorter than"
                        + " retryBaseDelay (" + retryBaseDelay + ") or throttlingBaseDelay (" + throttlingBaseDelay + ")");
            }
            return new S3FileStore(this, limits != null ? limits : StorageLimits.fromEnvironment());
        }

        private static Duration checkPositive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        static Duration checkExpiry(String name, Duration d) {
            checkPositive(name, d);
            if (d.compareTo(MAX_PRESIGN_EXPIRY) > 0) {
                throw new IllegalArgumentException(name + " must be at most 7 days (SigV4's limit), was " + d);
            }
            return d;
        }
    }
}
