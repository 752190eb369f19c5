package io.attachkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.AttachmentStatus;
import io.attachkit.FileStore;
import io.attachkit.FileTooLargeException;
import io.attachkit.InvalidContentException;
import io.attachkit.SaveRequest;
import io.attachkit.StorageFullException;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.StoredFileNotFoundException;
import io.attachkit.StoreHealth;
import io.attachkit.UnsafePathException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link FileStore} must have. A backend's test class extends this and returns a
 * fresh, empty store from {@link #createStore(StorageLimits)}; every test here then runs against it.
 *
 * <pre>{@code
 * class MyStoreContractTest extends FileStoreContract {
 *     protected FileStore createStore(StorageLimits limits) { return new MyStore(limits); }
 * }
 * }</pre>
 *
 * <p>Covers round trips (0 bytes, 1 byte, 10 MiB), unicode and hostile filenames, the size limit (enforced
 * while streaming), allowed types, the storage quota (also under concurrent saves), delete/exists/list
 * consistency, not-found and unsafe-id errors, batch operations, health, and 32 threads saving and reading
 * at once. Stores created here are closed after each test.
 */
public abstract class FileStoreContract {
    /** Storage paths a store may produce: Tyler's shard, the id's tail, an optional safe extension. */
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9]{2}/[A-Za-z0-9_-]+(\\.[a-z0-9]{1,10}){0,2}");

    private final List<FileStore> opened = new ArrayList<>();

    /**
     * @param limits the limits the store must enforce
     * @return a new, empty store
     * @throws Exception if it cannot be created
     */
    protected abstract FileStore createStore(StorageLimits limits) throws Exception;

    /**
     * @return the limits most tests use: the defaults plus {@code application/octet-stream}
     */
    protected StorageLimits defaultLimits() {
        return StorageLimits.builder(Map.of()).allowMimeType("application/octet-stream").build();
    }

    /**
     * @return a fresh store with {@link #defaultLimits()}
     * @throws Exception if it cannot be created
     */
    protected final FileStore store() throws Exception {
        return store(defaultLimits());
    }

    /**
     * @param limits the limits
     * @return a fresh store, closed after the test
     * @throws Exception if it cannot be created
     */
    protected final FileStore store(StorageLimits limits) throws Exception {
        FileStore s = createStore(limits);
        opened.add(s);
        return s;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(FileStore::close);
        opened.clear();
    }

    private static StoredFile save(FileStore store, byte[] bytes, String name, String mime) {
        return store.save(new ByteArrayInputStream(bytes), name, mime);
    }

    private static void assertRoundTrip(FileStore store, StoredFile f, byte[] expected) throws Exception {
        assertThat(f.size()).isEqualTo(expected.length);
        assertThat(f.sha256()).isEqualTo(TestContent.sha256(expected));
        assertThat(store.get(f.fileId())).isEqualTo(expected);
        assertThat(store.get(f.fileId(), f.storagePath())).isEqualTo(expected);
        try (InputStream in = store.open(f.fileId())) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void save_emptyFile_roundTrips() throws Exception {
        FileStore store = store();
        StoredFile f = save(store, new byte[0], "empty.txt", "text/plain");
        assertRoundTrip(store, f, new byte[0]);
        assertThat(store.exists(f.fileId())).isTrue();
    }

    @Test
    void save_oneByte_roundTrips() throws Exception {
        FileStore store = store();
        StoredFile f = save(store, new byte[] {'x'}, "one.txt", null);
        assertRoundTrip(store, f, new byte[] {'x'});
        assertThat(f.mimeType()).isEqualTo("text/plain");
    }

    @Test
    void save_tenMiB_roundTripsByteForByte() throws Exception {
        FileStore store = store();
        byte[] big = TestContent.gzip(10 * 1024 * 1024, 42);
        StoredFile f = save(store, big, "big.gz", null);
        assertThat(f.mimeType()).isEqualTo("application/gzip");
        assertRoundTrip(store, f, big);
        assertThat(store.stat(f.fileId()).size()).isEqualTo(big.length);
    }

    @Test
    void save_recordsMetadata_andStatReturnsIt() throws Exception {
        FileStore store = store();
        byte[] pdf = TestContent.minimalPdf();
        StoredFile f = save(store, pdf, "Report.PDF", "application/pdf");
        assertThat(f.storageBackend()).isEqualTo(store.backendName());
        assertThat(f.storagePath()).matches(SAFE_PATH).endsWith(".pdf")
                .isEqualTo(f.fileId().substring(0, 2) + "/" + f.fileId().substring(2) + ".pdf");
        assertThat(f.url()).isEqualTo("/files/" + f.storagePath());
        StoredFile stat = store.stat(f.fileId());
        assertThat(stat.fileId()).isEqualTo(f.fileId());
        assertThat(stat.storagePath()).isEqualTo(f.storagePath());
        assertThat(stat.size()).isEqualTo(pdf.length);
        assertThat(stat.sha256()).isEqualTo(TestContent.sha256(pdf));
        assertThat(stat.mimeType()).isEqualTo("application/pdf");
        assertThat(stat.filename()).isEqualTo("Report.PDF");
        assertThat(stat.createdAt()).isNotNull();
    }

    @Test
    void save_detectedTypeWinsOverDeclaredType() throws Exception {
        FileStore store = store();
        StoredFile f = save(store, TestContent.minimalPdf(), "picture.png", "image/png");
        assertThat(f.mimeType()).isEqualTo("application/pdf");
    }

    @Test
    void save_compoundExtension_listsTheRightId() throws Exception {
        FileStore store = store();
        StoredFile f = save(store, TestContent.gzip(100, 1), "archive.tar.gz", null);
        assertThat(f.storagePath()).endsWith(".tar.gz");
        assertThat(store.list()).containsExactly(f.fileId());
        assertThat(store.get(f.fileId())).hasSize((int) f.size());
    }

    // ------------------------------------------------------------------ filenames

    @ParameterizedTest
    @ValueSource(strings = {"résumé 履歴書 📄.txt", "../../etc/passwd", "..\\..\\windows\\win.ini", "/absolute/path.txt",
            "a/b/c.txt", "%2e%2e%2fescape.txt", "name.with.many.dots.txt", "evil\u202etxt.exe", "CON", "  spaced  .txt",
            "no-extension", ".hidden", "trailing.", "x.verylongextensionname"})
    void save_unicodeAndHostileFilenames_stayInsideTheStore(String filename) throws Exception {
        FileStore store = store();
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        StoredFile f = save(store, content, filename, "text/plain");
        assertThat(f.storagePath()).matches(SAFE_PATH);
        assertThat(f.filename()).isEqualTo(filename);
        assertThat(store.stat(f.fileId()).filename()).isEqualTo(filename);
        assertThat(store.list()).containsExactly(f.fileId());
        assertRoundTrip(store, f, content);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "nul\u0000byte.txt", "line\nbreak.txt", "bell\u0007.txt"})
    void save_blankOrControlCharacterFilename_isRefused(String filename) throws Exception {
        FileStore store = store();
        assertThatThrownBy(() -> save(store, new byte[] {'x'}, filename, null)).isInstanceOf(InvalidContentException.class);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void save_tenThousandCharacterFilename_isRefused() throws Exception {
        FileStore store = store();
        assertThatThrownBy(() -> save(store, new byte[] {'x'}, "a".repeat(10_000) + ".txt", null))
                .isInstanceOf(InvalidContentException.class).hasMessageContaining("10004 characters");
    }

    // ------------------------------------------------------------------ limits

    @Test
    void save_overSizeLimit_isRefusedWhileStreaming() throws Exception {
        FileStore store = store(defaultLimits().toBuilder().maxFileSize(64 * 1024).build());
        TestContent.EndlessText endless = new TestContent.EndlessText();
        assertThatThrownBy(() -> store.save(endless, "endless.txt", "text/plain"))
                .isInstanceOf(FileTooLargeException.class)
                .hasMessageContaining("65536")
                .satisfies(e -> assertThat(((FileTooLargeException) e).limit()).isEqualTo(64 * 1024));
        // it stopped near the limit instead of reading on (an endless stream would never end otherwise)
        assertThat(endless.bytesRead()).isLessThan(64 * 1024 + 1024 * 1024);
        assertThat(store.list()).isEmpty();
        assertThat(store.storageSize()).isZero();
    }

    @Test
    void save_exactlyAtSizeLimit_isAccepted() throws Exception {
        FileStore store = store(defaultLimits().toBuilder().maxFileSize(1000).build());
        byte[] content = TestContent.text(1000, 3);
        assertRoundTrip(store, save(store, content, "limit.txt", null), content);
        assertThatThrownBy(() -> save(store, TestContent.text(1001, 3), "over.txt", null)).isInstanceOf(FileTooLargeException.class);
    }

    @Test
    void save_disallowedType_isRefused_evenWhenDeclaredAsAllowed() throws Exception {
        FileStore store = store();
        assertThatThrownBy(() -> save(store, TestContent.executable(), "page.txt", "text/plain"))
                .isInstanceOf(io.attachkit.UnsupportedFileTypeException.class)
                .hasMessageContaining("application/x-msdownload");
        assertThat(store.list()).isEmpty();
    }

    @Test
    void save_overStorageQuota_isRefused_andFitsAgainAfterDelete() throws Exception {
        FileStore store = store(defaultLimits().toBuilder().maxStorageSize(10_000).build());
        StoredFile first = save(store, TestContent.text(6_000, 1), "first.txt", null);
        assertThatThrownBy(() -> save(store, TestContent.text(6_000, 2), "second.txt", null))
                .isInstanceOf(StorageFullException.class);
        assertThat(store.list()).containsExactly(first.fileId());
        store.delete(first.fileId());
        StoredFile second = save(store, TestContent.text(6_000, 2), "second.txt", null);
        assertThat(store.list()).containsExactly(second.fileId());
    }

    @Test
    void save_concurrentSaves_neverExceedTheQuota() throws Exception {
        FileStore store = store(defaultLimits().toBuilder().maxStorageSize(10 * 1000).build());
        List<Callable<Boolean>> saves = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] content = TestContent.text(1000, i);
            saves.add(() -> {
                try {
                    save(store, content, "q.txt", null);
                    return true;
                } catch (StorageFullException full) {
                    return false;
                }
            });
        }
        int succeeded = 0;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Boolean> f : pool.invokeAll(saves)) {
                succeeded += f.get() ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(succeeded).isEqualTo(10);
        assertThat(store.storageSize()).isEqualTo(10_000);
        assertThat(store.fileCount()).isEqualTo(10);
    }

    @Test
    void save_streamFailingMidway_leavesNothing() throws Exception {
        FileStore store = store();
        assertThatThrownBy(() -> store.save(new TestContent.FailingAfter(TestContent.text(100_000, 9)), "cut.txt", null))
                .isInstanceOf(io.attachkit.AttachmentException.class)
                .hasMessageContaining("simulated client disconnect");
        assertThat(store.list()).isEmpty();
        assertThat(store.storageSize()).isZero();
    }

    // ------------------------------------------------------------------ delete / exists / list

    @Test
    void deleteExistsList_stayConsistent() throws Exception {
        FileStore store = store();
        StoredFile a = save(store, TestContent.text(10, 1), "a.txt", null);
        StoredFile b = save(store, TestContent.minimalPdf(), "b.pdf", null);
        StoredFile c = save(store, TestContent.text(10, 3), "c", null);
        assertThat(store.list()).containsExactlyInAnyOrder(a.fileId(), b.fileId(), c.fileId());
        assertThat(store.fileCount()).isEqualTo(3);
        assertThat(store.storageSize()).isEqualTo(a.size() + b.size() + c.size());

        store.delete(b.fileId());
        assertThat(store.exists(b.fileId())).isFalse();
        assertThat(store.exists(b.fileId(), b.storagePath())).isFalse();
        assertThat(store.list()).containsExactlyInAnyOrder(a.fileId(), c.fileId());
        assertThatThrownBy(() -> store.get(b.fileId())).isInstanceOf(StoredFileNotFoundException.class);
        assertThatThrownBy(() -> store.delete(b.fileId())).isInstanceOf(StoredFileNotFoundException.class);

        store.delete(c.fileId(), c.storagePath());
        assertThat(store.list()).containsExactly(a.fileId());
        assertThat(store.exists(a.fileId())).isTrue();
    }

    @Test
    void unknownId_isNotFound_everywhere() throws Exception {
        FileStore store = store();
        String missing = "0123456789abcdef-unknown";
        assertThat(store.exists(missing)).isFalse();
        assertThatThrownBy(() -> store.get(missing)).isInstanceOf(StoredFileNotFoundException.class).hasMessageContaining(missing);
        assertThatThrownBy(() -> store.open(missing)).isInstanceOf(StoredFileNotFoundException.class);
        assertThatThrownBy(() -> store.stat(missing)).isInstanceOf(StoredFileNotFoundException.class);
        assertThatThrownBy(() -> store.delete(missing)).isInstanceOf(StoredFileNotFoundException.class);
    }

    @Test
    void storagePathHintOfAnotherFile_isIgnored_theIdWins() throws Exception {
        FileStore store = store();
        StoredFile a = save(store, TestContent.text(10, 1), "a.txt", null);
        StoredFile b = save(store, TestContent.text(20, 2), "b.txt", null);
        assertThat(store.get(a.fileId(), b.storagePath())).isEqualTo(TestContent.text(10, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc/passwd", "ab/../../x", "/etc/passwd", "%2e%2e%2fetc", "a\\..\\b", "nul\u0000id",
            "ab", ".hidden-id", "id with space", "ab/cd",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void unsafeIds_areRefused_beforeTouchingStorage(String id) throws Exception {
        FileStore store = store();
        assertThatThrownBy(() -> store.get(id)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.open(id)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.stat(id)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.exists(id)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.delete(id)).isInstanceOf(UnsafePathException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "ab/../../../etc/passwd", "/ab/cdef", "ab\\cdef", "ab/%2e%2e", "ab/cd/../ef",
            "ab/cdef\u0000.txt"})
    void unsafeStoragePathHints_areRefused(String hint) throws Exception {
        FileStore store = store();
        StoredFile f = save(store, TestContent.text(10, 1), "a.txt", null);
        assertThatThrownBy(() -> store.get(f.fileId(), hint)).isInstanceOf(UnsafePathException.class);
        assertThatThrownBy(() -> store.delete(f.fileId(), hint)).isInstanceOf(UnsafePathException.class);
        assertThat(store.exists(f.fileId())).isTrue();
    }

    // ------------------------------------------------------------------ batch, health

    @Test
    void saveAll_allOrNothing_deletesWhatItSavedWhenOneFails() throws Exception {
        FileStore store = store();
        List<SaveRequest> ok = List.of(
                new SaveRequest(new ByteArrayInputStream(TestContent.text(10, 1)), "1.txt", null),
                new SaveRequest(new ByteArrayInputStream(TestContent.minimalPdf()), "2.pdf", null));
        assertThat(store.saveAll(ok)).hasSize(2).extracting(StoredFile::filename).containsExactly("1.txt", "2.pdf");
        assertThat(store.fileCount()).isEqualTo(2);

        FileStore other = store();
        List<SaveRequest> bad = List.of(
                new SaveRequest(new ByteArrayInputStream(TestContent.text(10, 1)), "1.txt", null),
                new SaveRequest(new ByteArrayInputStream(TestContent.text(10, 2)), "2.txt", null),
                new SaveRequest(new ByteArrayInputStream(TestContent.executable()), "3.exe", null));
        assertThatThrownBy(() -> other.saveAll(bad)).isInstanceOf(io.attachkit.UnsupportedFileTypeException.class);
        assertThat(other.list()).isEmpty();
    }

    @Test
    void deleteAll_deletesExistingAndSkipsMissing() throws Exception {
        FileStore store = store();
        StoredFile a = save(store, TestContent.text(10, 1), "a.txt", null);
        StoredFile b = save(store, TestContent.text(10, 2), "b.txt", null);
        assertThat(store.deleteAll(List.of(a.fileId(), b.fileId(), "0123456789-missing"))).isEqualTo(2);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void checkHealth_reportsHealthyWithSizeAndCount() throws Exception {
        FileStore store = store();
        StoredFile a = save(store, TestContent.text(123, 1), "a.txt", null);
        StoreHealth health = store.checkHealth();
        assertThat(health.healthy()).as("errors: %s", health.errors()).isTrue();
        assertThat(health.errors()).isEmpty();
        assertThat(health.fileCount()).isEqualTo(1);
        assertThat(health.storageSize()).isEqualTo(a.size());
        assertThat(store.list()).as("the health probe leaves nothing behind").containsExactly(a.fileId());
    }

    // ------------------------------------------------------------------ concurrency, attachments

    @Test
    void thirtyTwoThreads_savingAndReading_seeTheirOwnBytes() throws Exception {
        FileStore store = store();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                int seed = t;
                ids.add(pool.submit(() -> {
                    String last = null;
                    for (int i = 0; i < 4; i++) {
                        byte[] content = TestContent.text(1000 + seed * 97 + i, seed * 10L + i);
                        StoredFile f = save(store, content, "t" + seed + "-" + i + ".txt", null);
                        assertThat(store.get(f.fileId(), f.storagePath())).isEqualTo(content);
                        assertThat(store.stat(f.fileId()).sha256()).isEqualTo(TestContent.sha256(content));
                        last = f.fileId();
                    }
                    return last;
                }));
            }
            for (Future<String> f : ids) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.fileCount()).isEqualTo(128);
        assertThat(Set.copyOf(store.list())).hasSize(128);
    }

    @Test
    void attachment_ensureStored_throughThisBackend() throws Exception {
        FileStore store = store();
        Attachment a = Attachment.fromBytes("notes.txt", "hello store".getBytes(StandardCharsets.UTF_8), null);
        a.ensureStored(store);
        assertThat(a.status()).isEqualTo(AttachmentStatus.STORED);
        assertThat(a.storageBackend()).isEqualTo(store.backendName());
        assertThat(a.processedContent().url()).isEqualTo("/files/" + a.storagePath());
        Attachment reloaded = Attachment.fromJson(a.toJson());
        assertThat(reloaded.getContentBytes(store)).isEqualTo("hello store".getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------ derived records

    @Test
    void derivedRecord_roundTrips_isReplaced_andIsHiddenFromListCountAndSize() throws Exception {
        FileStore store = store();
        byte[] content = TestContent.text(4000, 7);
        StoredFile f = save(store, content, "doc.txt", null);
        long size = store.storageSize();
        org.junit.jupiter.api.Assumptions.assumeTrue(store.writeDerivedRecord(f.sha256(), "{\"v\":1}".getBytes(StandardCharsets.UTF_8)),
                "this store keeps no derived records");
        assertThat(store.readDerivedRecord(f.sha256())).hasValueSatisfying(r -> assertThat(new String(r, StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}"));
        store.writeDerivedRecord(f.sha256(), "{\"v\":2}".getBytes(StandardCharsets.UTF_8));
        assertThat(store.readDerivedRecord(f.sha256())).hasValueSatisfying(r -> assertThat(new String(r, StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}"));
        assertThat(store.list()).containsExactly(f.fileId());
        assertThat(store.fileCount()).isEqualTo(1);
        assertThat(store.storageSize()).isEqualTo(size);
        assertThat(store.derivedRecordDigests()).containsExactly(f.sha256());
        assertThat(store.readDerivedRecord(TestContent.sha256(new byte[] {1}))).isEmpty();
    }

    @Test
    void derivedRecord_goesWithItsFile_andIsUnreachableAsAFile() throws Exception {
        FileStore store = store();
        StoredFile f = save(store, TestContent.text(3000, 8), "doc.txt", null);
        org.junit.jupiter.api.Assumptions.assumeTrue(store.writeDerivedRecord(f.sha256(), new byte[] {'{', '}'}),
                "this store keeps no derived records");
        String recordId = "derived-" + f.sha256();
        assertThatThrownBy(() -> store.open(recordId)).isInstanceOf(StoredFileNotFoundException.class);
        assertThatThrownBy(() -> store.delete(recordId)).isInstanceOf(StoredFileNotFoundException.class);
        assertThat(store.exists(recordId)).isFalse();
        store.delete(f.fileId(), f.storagePath());
        assertThat(store.readDerivedRecord(f.sha256())).isEmpty();
        assertThat(store.derivedRecordDigests()).isEmpty();
        store.deleteDerivedRecord(f.sha256()); // none left: not an error
    }

    @Test
    void derivedRecord_badDigest_isRefused() throws Exception {
        FileStore store = store();
        for (String bad : new String[] {null, "", "../../etc/passwd", "ABC", "g".repeat(64), "a".repeat(65)}) {
            assertThatThrownBy(() -> store.readDerivedRecord(bad)).as("%s", bad).isInstanceOf(InvalidContentException.class);
            assertThatThrownBy(() -> store.writeDerivedRecord(bad, new byte[1])).as("%s", bad).isInstanceOf(InvalidContentException.class);
            assertThatThrownBy(() -> store.deleteDerivedRecord(bad)).as("%s", bad).isInstanceOf(InvalidContentException.class);
        }
    }
}
