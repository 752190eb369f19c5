package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.StorageException;
import io.attachkit.StorageLimits;
import io.attachkit.StoreHealth;
import io.attachkit.StoredFile;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.UnsafePathException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** S3FileStore against a real S3 server (S3Proxy, in this JVM): layout, metadata, reads, listing, URLs. */
class S3FileStoreTest {
    private static S3ProxyServer server;
    private String bucket;
    private S3FileStore store;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void newStore() {
        bucket = server.createBucket();
        store = server.storeBuilder(bucket).keyPrefix("/attachments/").limits(StorageLimits.defaults()).build();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private StoredFile saveText(String filename, String text) {
        return store.save(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), filename, null);
    }

    @Test
    void save_usesTheShardedPathUnderThePrefix_andBackendS3() {
        StoredFile f = saveText("Notes.TXT", "hello s3");

        assertThat(f.storageBackend()).isEqualTo("s3");
        assertThat(f.storagePath()).isEqualTo(f.fileId().substring(0, 2) + "/" + f.fileId().substring(2) + ".txt");
        assertThat(store.objectKey(f.storagePath())).isEqualTo("attachments/" + f.storagePath());
        assertThat(server.client().listObjectsV2(b -> b.bucket(bucket)).contents())
                .extracting(o -> o.key()).containsExactly("attachments/" + f.storagePath());
    }

    @Test
    void save_objectIsReadableByAPlainSdkClient_withTypeDispositionAndDigest() {
        String filename = "Grüße \"quoted\"; report.txt";
        StoredFile f = saveText(filename, "plain text for a plain client\n");

        S3Client plain = server.client();
        ResponseBytes<GetObjectResponse> object = plain.getObjectAsBytes(b -> b.bucket(bucket).key("attachments/" + f.storagePath()));
        assertThat(object.asUtf8String()).isEqualTo("plain text for a plain client\n");
        GetObjectResponse r = object.response();
        assertThat(r.contentType()).startsWith("text/plain");
        assertThat(r.metadata()).containsEntry("sha256", f.sha256());
        assertThat(r.metadata().get("filename")).isEqualTo("Gr%C3%BC%C3%9Fe%20%22quoted%22%3B%20report.txt");
        assertThat(r.contentDisposition())
                .isEqualTo("attachment; filename=\"Gr__e _quoted_; report.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%20%22quoted%22%3B%20report.txt");
        assertThat(store.stat(f.fileId()).filename()).isEqualTo(filename);
        assertThat(plain.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
    }

    @Test
    void stat_comesFromHead() {
        Instant before = Instant.now().minusSeconds(5);
        StoredFile f = saveText("a.txt", "twelve bytes");

        StoredFile stat = store.stat(f.fileId());
        assertThat(stat.fileId()).isEqualTo(f.fileId());
        assertThat(stat.storagePath()).isEqualTo(f.storagePath());
        assertThat(stat.storageBackend()).isEqualTo("s3");
        assertThat(stat.size()).isEqualTo(12);
        assertThat(stat.sha256()).isEqualTo(f.sha256()).hasSize(64);
        assertThat(stat.mimeType()).startsWith("text/plain");
        assertThat(stat.createdAt()).isAfter(before);
    }

    @Test
    void open_isAStreamOfTheObject_withOrWithoutThePathHint() throws Exception {
        StoredFile f = saveText("a.txt", "streamed back");

        try (InputStream in = store.open(f.fileId(), f.storagePath())) {
            assertThat(in).isInstanceOf(S3ObjectInputStream.class);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("streamed back");
        }
        assertThat(store.get(f.fileId())).asString(StandardCharsets.UTF_8).isEqualTo("streamed back");
        // a hint for the right id but another extension still finds the file by its id
        String otherExtension = f.storagePath().replace(".txt", ".pdf");
        assertThat(store.get(f.fileId(), otherExtension)).asString(StandardCharsets.UTF_8).isEqualTo("streamed back");
    }

    @Test
    void missingFile_isStoredFileNotFound_everywhere() {
        String id = UUID.randomUUID().toString();
        String path = id.substring(0, 2) + "/" + id.substring(2) + ".txt";

        assertThatThrownBy(() -> store.open(id)).isInstanceOf(StoredFileNotFoundException.class).hasMessageContaining(id);
        assertThatThrownBy(() -> store.get(id, path)).isInstanceOf(StoredFileNotFoundException.class);
        assertThatThrownBy(() -> store.stat(id, path)).isInstanceOf(StoredFileNotFoundException.class);
        assertThatThrownBy(() -> store.delete(id)).isInstanceOf(StoredFileNotFoundException.class);
        assertThatThrownBy(() -> store.presignedUrl(id, null)).isInstanceOf(StoredFileNotFoundException.class);
        assertThat(store.exists(id)).isFalse();
        assertThat(store.exists(id, path)).isFalse();
    }

    @Test
    void unsafeIdsAndPaths_areRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(UnsafePathException.class);
        String id = UUID.randomUUID().toString();
        assertThatThrownBy(() -> store.open(id, "../" + id)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.objectKey("x/../../y")).isInstanceOf(UnsafePathException.class);
    }

    @Test
    void delete_removesTheObject_andExistsFollows() {
        StoredFile f = saveText("a.txt", "short-lived");
        assertThat(store.exists(f.fileId())).isTrue();
        assertThat(store.exists(f.fileId(), f.storagePath())).isTrue();

        store.delete(f.fileId(), f.storagePath());

        assertThat(store.exists(f.fileId())).isFalse();
        assertThat(server.client().listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
    }

    @Test
    void list_sizeAndCount_pageThroughTheListing_andIgnoreForeignKeys() {
        S3FileStore paged = server.storeBuilder(bucket).keyPrefix("attachments").listPageSize(2)
                .limits(StorageLimits.defaults()).build();
        List<String> ids = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < 5; i++) {
            StoredFile f = paged.save(new ByteArrayInputStream(("file number " + i).getBytes(StandardCharsets.UTF_8)), "f" + i + ".txt", null);
            ids.add(f.fileId());
            total += f.size();
        }
        S3Client plain = server.client();
        plain.putObject(b -> b.bucket(bucket).key("attachments/README.txt"), RequestBody.fromString("not ours"));
        plain.putObject(b -> b.bucket(bucket).key("attachments/ab/not an id!.txt"), RequestBody.fromString("not ours"));
        plain.putObject(b -> b.bucket(bucket).key("elsewhere/ab/cdefgh.txt"), RequestBody.fromString("outside the prefix"));

        assertThat(paged.list()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(paged.fileCount()).isEqualTo(5);
        assertThat(paged.storageSize()).isEqualTo(total);
        paged.close();
    }

    @Test
    void checkHealth_ofAReachableBucket_isHealthy_andLeavesNothing() {
        saveText("a.txt", "one file");

        StoreHealth health = store.checkHealth();

        assertThat(health.errors()).isEmpty();
        assertThat(health.healthy()).isTrue();
        assertThat(health.backend()).isEqualTo("s3");
        assertThat(health.fileCount()).isEqualTo(1);
        assertThat(health.storageSize()).isEqualTo(8);
        assertThat(store.fileCount()).isEqualTo(1);
    }

    @Test
    void checkHealth_ofAMissingBucket_saysSo() {
        try (S3FileStore missing = server.storeBuilder("no-such-bucket-here").limits(StorageLimits.defaults()).build()) {
            StoreHealth health = missing.checkHealth();
            assertThat(health.healthy()).isFalse();
            assertThat(health.errors()).singleElement().asString().contains("no-such-bucket-here").contains("404");
        }
    }

    @Test
    void sdkErrors_becomeStorageExceptions_withTheCause() {
        try (S3FileStore missing = server.storeBuilder("no-such-bucket-here").maxAttempts(1).limits(StorageLimits.defaults()).build()) {
            assertThatThrownBy(() -> missing.save(new ByteArrayInputStream("x".getBytes()), "a.txt", null))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("no-such-bucket-here")
                    .hasCauseInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
            assertThatThrownBy(missing::list).isInstanceOf(StorageException.class).hasMessageContaining("NoSuchBucket");
        }
    }

    @Test
    void unreachableServer_isARetryableStorageException() {
        try (S3FileStore nowhere = S3FileStore.builder().bucket("b").endpointOverride(URI.create("http://127.0.0.1:1"))
                .pathStyleAccess(true).credentialsProvider(S3ProxyServer.credentialsProvider()).maxAttempts(2)
                .retryBaseDelay(Duration.ofMillis(1)).limits(StorageLimits.defaults()).build()) {
            assertThatThrownBy(nowhere::list)
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue());
        }
    }

    @Test
    void presignedUrl_fetchedWithJavaHttpClient_returnsTheBytes() throws Exception {
        StoredFile f = saveText("shared.txt", "fetched through a presigned URL");

        URI url = store.presignedUrl(f.fileId(), f.storagePath(), Duration.ofMinutes(5));
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("fetched through a presigned URL");
        assertThat(url.getQuery()).contains("X-Amz-Expires=300").contains("X-Amz-Signature=");
        // without the hint the key is looked up
        assertThat(store.presignedUrl(f.fileId(), null).getPath()).isEqualTo(url.getPath());
    }

    @Test
    void presignedUrl_withATamperedSignature_isRefusedByTheServer() throws Exception {
        StoredFile f = saveText("shared.txt", "secret");
        String url = store.presignedUrl(f.fileId(), f.storagePath()).toString();
        java.util.regex.Matcher sig = java.util.regex.Pattern.compile("X-Amz-Signature=([0-9a-f])").matcher(url);
        assertThat(sig.find()).as("a signature in %s", url).isTrue();
        char first = sig.group(1).charAt(0);
        // always a different first digit (the old rewrite left a signature starting with 0 unchanged 1 time in 16)
        String tampered = url.substring(0, sig.start(1)) + (first == '0' ? '1' : '0') + url.substring(sig.end(1));
        assertThat(tampered).isNotEqualTo(url);

        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(tampered)).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void presignedUrl_optInSetsProcessedContentUrl_defaultStaysFilesPath() {
        Attachment a = Attachment.fromBytes("note.txt", "attached".getBytes(StandardCharsets.UTF_8), "text/plain");
        a.ensureStored(store);
        assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());

        URI url = store.updateProcessedContentWithPresignedUrl(a);

        assertThat(a.processedContent().url()).isEqualTo(url.toString()).startsWith(server.endpoint().toString())
                .contains("X-Amz-Signature=");
        Attachment pending = Attachment.fromBytes("x.txt", new byte[] {'x'}, null);
        assertThatThrownBy(() -> store.updateProcessedContentWithPresignedUrl(pending))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void read_ofAnObjectChangedBehindTheStoresBack_failsAtTheEnd() throws Exception {
        StoredFile f = saveText("a.txt", "original content");
        String key = "attachments/" + f.storagePath();
        server.client().putObject(b -> b.bucket(bucket).key(key).metadata(Map.of("sha256", f.sha256())),
                RequestBody.fromString("altered content!"));

        assertThatThrownBy(() -> store.get(f.fileId(), f.storagePath()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("damaged");
    }
}
