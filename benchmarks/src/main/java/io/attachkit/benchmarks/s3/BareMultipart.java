package io.attachkit.benchmarks.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * A multipart upload of a file with the SDK's calls alone (create, parts in parallel, complete): no detection,
 * hashing, limits or verification. Its time against one {@code putObject} is the most any multipart uploader can
 * reach on that server, the reference the store's ratio is read against.
 */
final class BareMultipart {
    private BareMultipart() {
    }

    static void upload(S3Client s3, String bucket, String key, Path file, long partSize, int concurrency)
            throws IOException, InterruptedException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("text/plain")).uploadId();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            List<Future<CompletedPart>> parts = new ArrayList<>();
            for (long offset = 0, number = 1; offset < size; offset += partSize, number++) {
                long start = offset;
                int partNumber = (int) number;
                int length = (int) Math.min(partSize, size - offset);
                parts.add(pool.submit(() -> {
                    ByteBuffer bytes = ByteBuffer.allocate(length);
                    while (bytes.hasRemaining()) {
                        if (in.read(bytes, start + bytes.position()) < 0) {
                            throw new UncheckedIOException(new IOException("file ended early"));
                        }
                    }
                    String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                            RequestBody.fromBytes(bytes.array())).eTag();
                    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
                }));
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                done.add(f.get());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(done)));
        } catch (ExecutionException e) {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            throw new IOException("a part failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
