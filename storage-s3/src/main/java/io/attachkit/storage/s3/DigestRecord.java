package io.attachkit.storage.s3;

import io.attachkit.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Properties;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The digests of an object uploaded in parts, kept in a small object of their own under the store's hidden
 * {@value #DIRECTORY} folder ({@code <prefix>.attachkit-digests/ab/cdef....pdf} for {@code <prefix>ab/cdef....pdf}).
 *
 * <p>A multipart object's metadata is fixed when the upload starts, before its SHA-256 is known. Rewriting the
 * object with a server-side CopyObject to add it costs a full copy of the object on the server (measured: about a
 * third of the upload time of 256 MiB on S3Proxy); this record costs one small PUT, written before the upload is
 * completed so the object is never visible without it. Listing skips the folder, delete removes the record with
 * the object, and stat and reads use it only when the object's own metadata lacks the digests. A record whose
 * size differs from the object's is ignored. With {@link S3FileStore.Builder#sha256InObjectMetadata(boolean)} the
 * object is rewritten after completion anyway, for tools that read the SHA-256 from the object, and its record is
 * deleted once the object carries the digests (kept, and still used, if the rewrite fails).
 *
 * <p>The body is {@code java.util.Properties} text: {@code sha256} (hex), {@code crc32c} (base64, as S3 writes
 * it) and {@code size}.
 *
 * @param sha256 hex SHA-256 of the object's bytes
 * @param crc32c base64 CRC32C of the object's bytes
 * @param size the object's size in bytes
 */
record DigestRecord(String sha256, String crc32c, long size) {
    /** The hidden folder under the key prefix; not a storage path, so never listed as a file. */
    static final String DIRECTORY = ".attachkit-digests/";
    private static final int MAX_BYTES = 4096;

    /** Writes the record (one PutObject). */
    static void write(S3Client s3, String bucket, String key, DigestRecord record) {
        String body = "sha256=" + record.sha256 + "\ncrc32c=" + record.crc32c + "\nsize=" + record.size + "\n";
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("text/plain; charset=US-ASCII"),
                    RequestBody.fromString(body, StandardCharsets.US_ASCII));
        } catch (SdkException e) {
            throw S3Errors.wrap("Recording the digests of '" + key + "'", bucket, e);
        }
    }

    /**
     * @return the record at {@code key} if there is one that describes an object of {@code size} bytes, else
     *     {@code null}
     */
    static DigestRecord read(S3Client s3, String bucket, String key, long size) {
        ResponseBytes<GetObjectResponse> bytes;
        try {
            bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return null;
            }
            throw S3Errors.wrap("Reading the digests '" + key + "'", bucket, e);
        }
        if (bytes.asByteArray().length > MAX_BYTES) {
            return null;
        }
        Properties p = new Properties();
        try {
            p.load(new java.io.StringReader(bytes.asString(StandardCharsets.US_ASCII)));
            String sha256 = p.getProperty("sha256");
            String crc32c = p.getProperty("crc32c");
            long recorded = Long.parseLong(p.getProperty("size", "-1"));
            if (sha256 == null || sha256.length() != 64 || crc32c == null || recorded != size) {
                return null;
            }
            HexFormat.of().parseHex(sha256);
            return new DigestRecord(sha256, crc32c, recorded);
        } catch (java.io.IOException | IllegalArgumentException damaged) {
            throw new StorageException("The digest record '" + key + "' in S3 bucket '" + bucket + "' is damaged: "
                    + damaged.getMessage(), damaged, false);
        }
    }
}
