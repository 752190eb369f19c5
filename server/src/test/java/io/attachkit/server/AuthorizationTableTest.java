package io.attachkit.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.Attachment;
import io.attachkit.Attachments;
import io.attachkit.FileStore;
import io.attachkit.ForwardingFileStore;
import io.attachkit.StoredFile;
import io.attachkit.server.cli.AttachkitCommand;
import io.attachkit.serving.FileUrlSigner;
import io.attachkit.storage.local.LocalFileStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Who may do what, one row per case, over real HTTP (the JDK client, and a raw socket where the JDK client will not
 * send the request): no key, a wrong or revoked key, a read-only key writing, expired, tampered, replayed and
 * other-path signed URLs, traversal inside a signed URL, HEAD, Range and conditional requests with a bad signature,
 * the open loopback mode and the bind rules. Every refusal must be a JSON 401 (with {@code WWW-Authenticate: Bearer})
 * or 403 with a request id, must not carry the file's bytes or tell whether an id exists, and must leave the store
 * untouched: not one call reached it (a counting layer sits under the server) and it holds the same files.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuthorizationTableTest {
    static final String WRITER = "ak_writer-key-0123456789abcdef";
    static final String READER = "ak_reader-key-0123456789abcdef";
    static final String TEMP = "ak_temporary-key-0123456789abcd";
    static final String LATE = "ak_added-later-0123456789abcdef";
    static final String ENV_READER = "ak_from-environment-0123456789";
    static final byte[] SIGNING_KEY = filled('k');
    static final byte[] ROTATED_OUT_KEY = filled('o');
    static final String SECRET = "the-secret-content-of-hello";

    @TempDir
    static Path dir;
    static Env secured;
    static Env open;
    static Env publicFiles;
    static FileUrlSigner appSigner; // what an application holding the same key signs with
    static StoredFile hello;
    static StoredFile other;
    static String publicId;
    static Path keyFile;

    /** A store layer that counts every call a request could make. */
    static final class CountingStore extends ForwardingFileStore {
        final AtomicLong calls = new AtomicLong();

        CountingStore(FileStore delegate) {
            super(delegate);
        }

        @Override
        public StoredFile save(InputStream content, String filename, String mimeType) {
            calls.incrementAndGet();
            return super.save(content, filename, mimeType);
        }

        @Override
        public byte[] get(String fileId, String storagePath) {
            calls.incrementAndGet();
            return super.get(fileId, storagePath);
        }

        @Override
        public InputStream open(String fileId, String storagePath) {
            calls.incrementAndGet();
            return super.open(fileId, storagePath);
        }

        @Override
        public java.nio.channels.ReadableByteChannel openChannel(String fileId, String storagePath) {
            calls.incrementAndGet();
            return super.openChannel(fileId, storagePath);
        }

        @Override
        public StoredFile stat(String fileId, String storagePath) {
            calls.incrementAndGet();
            return super.stat(fileId, storagePath);
        }

        @Override
        public boolean exists(String fileId, String storagePath) {
            calls.incrementAndGet();
            return super.exists(fileId, storagePath);
        }

        @Override
        public void delete(String fileId, String storagePath) {
            calls.incrementAndGet();
            super.delete(fileId, storagePath);
        }

        @Override
        public java.util.Optional<byte[]> readDerivedRecord(String sha256) {
            calls.incrementAndGet();
            return super.readDerivedRecord(sha256);
        }
    }

    /** A server over its own counting store. */
    static final class Env implements AutoCloseable {
        final LocalFileStore local;
        final CountingStore store;
        final Attachments attachments;
        final AttachkitServer server;

        Env(Path root, java.util.function.UnaryOperator<AttachkitServer.Builder> config) {
            local = LocalFileStore.builder().root(root).build();
            store = new CountingStore(local);
            attachments = Attachments.builder().store(store).build();
            server = config.apply(AttachkitServer.builder().attachments(attachments).port(0)).build().start();
        }

        @Override
        public void close() {
            server.close();
            attachments.close();
            local.close();
        }
    }

    record Resp(int status, java.net.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        Map<String, Object> json() throws Exception {
            return ServerFixture.json(body);
        }
    }

    interface Call {
        Resp send() throws Exception;
    }

    /** Runs before the row's snapshot (what the row's request must then see). */
    interface Prep {
        void run() throws Exception;
    }

    interface Extra {
        void check(Resp r) throws Exception;
    }

    /**
     * One row.
     *
     * @param credential what the request carries
     * @param request what it asks for
     * @param env the server it goes to
     * @param status the status it must get
     * @param stores how many files the store gains
     * @param call sends it
     * @param extra further checks of the answer
     * @param prep what happens before the request (and before the store is counted)
     */
    record Case(String credential, String request, Env env, int status, int stores, Call call, Extra extra, Prep prep) {
        Case(String credential, String request, Env env, int status, int stores, Call call, Extra extra) {
            this(credential, request, env, status, stores, call, extra, () -> { });
        }

        @Override
        public String toString() {
            return credential + " | " + request + " -> " + status;
        }
    }

    static final HttpClient HTTP = HttpClient.newHttpClient();

    private static byte[] filled(char c) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) c);
        return k;
    }

    @BeforeAll
    static void start() throws Exception {
        keyFile = dir.resolve("keys.txt");
        Files.writeString(keyFile, "# the test's key file\n" + ApiKeys.keyFileLine("reader", ApiKeyScope.READ, READER) + "\n"
                + ApiKeys.keyFileLine("temp", ApiKeyScope.READ_WRITE, TEMP) + "\n");
        ApiKeys keys = ApiKeys.builder().key("writer", ApiKeyScope.READ_WRITE, WRITER).keyFile(keyFile)
                .fromEnvironmentValue("env-reader:read:" + ENV_READER).build();
        FileUrlSigner signer = FileUrlSigner.builder().key(SIGNING_KEY).lifetime(Duration.ofMinutes(5)).build();
        appSigner = signer;
        secured = new Env(dir.resolve("secured"), b -> b.apiKeys(keys).urlSigner(signer));
        hello = secured.local.stat(secured.attachments.storeAndProcess(Attachment.fromBytes("hello.txt", bytes(SECRET), "text/plain")).fileId());
        other = secured.local.stat(secured.attachments.storeAndProcess(Attachment.fromBytes("other.txt", bytes("another file"), "text/plain")).fileId());
        open = new Env(dir.resolve("open"), b -> b);
        publicFiles = new Env(dir.resolve("public"), b -> b.apiKeys(keys).publicFiles(true));
        publicId = publicFiles.attachments.storeAndProcess(Attachment.fromBytes("hello.txt", bytes(SECRET), "text/plain")).fileId();
        Thread.sleep(300); // the start's resume of pending work touches the store once; let it pass
    }

    @AfterAll
    static void stop() {
        secured.close();
        open.close();
        publicFiles.close();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void everyRequest_getsExactlyWhatItsCredentialAllows_andRefusalsTouchNothing(Case c) throws Exception {
        c.prep().run();
        long files = c.env().local.fileCount();
        long calls = c.env().store.calls.get();
        Resp r = c.call().send();
        assertThat(r.status()).as("status; body %s", r.body()).isEqualTo(c.status());
        assertThat(r.header("X-Request-Id")).as("every answer carries its request id").isNotBlank();
        if (c.status() == 401 || c.status() == 403) {
            assertThat(c.env().store.calls.get()).as("store calls made for a refused request").isEqualTo(calls);
            assertThat(r.body()).as("the refusal never carries stored content").doesNotContain(SECRET)
                    .doesNotContain(hello.fileId()).doesNotContain(other.fileId());
            if (!r.body().isEmpty()) { // HEAD answers have no body
                Map<String, Object> json = r.json();
                assertThat(json.get("status")).isEqualTo(c.status());
                assertThat((String) json.get("error")).isNotBlank();
                assertThat(json.get("request_id")).isEqualTo(r.header("X-Request-Id"));
            }
            assertThat(r.header("Content-Type")).startsWith("application/json");
            if (c.status() == 401) {
                assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"attachkit\"");
            }
        }
        c.extra().check(r);
        assertThat(c.env().local.fileCount() - files).as("files the store gained").isEqualTo(c.stores());
    }

    // ================================================================== requests

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String url(StoredFile f) {
        return "/files/" + f.storagePath();
    }

    static Resp send(Env env, String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(env.server.baseUri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r.headers(), r.body());
    }

    static Resp get(Env env, String path, String... headers) throws Exception {
        return send(env, "GET", path, null, headers);
    }

    static String[] bearer(String key, String... more) {
        String[] h = new String[more.length + 2];
        h[0] = "Authorization";
        h[1] = "Bearer " + key;
        System.arraycopy(more, 0, h, 2, more.length);
        return h;
    }

    static Resp upload(Env env, String... headers) throws Exception {
        Multipart mp = new Multipart().file("files", "up.txt", "text/plain", bytes("uploaded " + System.nanoTime()));
        String[] h = new String[headers.length + 2];
        h[0] = "Content-Type";
        h[1] = mp.contentType();
        System.arraycopy(headers, 0, h, 2, headers.length);
        return send(env, "POST", "/attachments?wait=30", mp.build(), h);
    }

    static Resp uploadJson(Env env, String... headers) throws Exception {
        String body = "{\"attachments\":[{\"filename\":\"j.txt\",\"data\":\""
                + Base64.getEncoder().encodeToString(bytes("json " + System.nanoTime())) + "\"}]}";
        String[] h = new String[headers.length + 2];
        h[0] = "Content-Type";
        h[1] = "application/json";
        System.arraycopy(headers, 0, h, 2, headers.length);
        return send(env, "POST", "/attachments?wait=30", bytes(body), h);
    }

    static Resp query(Env env, String... headers) throws Exception {
        String[] h = new String[headers.length + 2];
        h[0] = "Content-Type";
        h[1] = "application/json";
        System.arraycopy(headers, 0, h, 2, headers.length);
        return send(env, "POST", "/query", bytes("{\"parts\":[{\"type\":\"text\",\"text\":\"hi\"}]}"), h);
    }

    /** A raw request on a socket, answered with the status line, headers and body parsed. */
    static Resp raw(Env env, String head, byte[] body) throws Exception {
        try (RawClient c = new RawClient(env.server.port(), 20_000)) {
            c.send(bytes(head));
            if (body != null) {
                try {
                    c.send(body);
                } catch (java.io.IOException closedEarly) {
                    // the server may answer and close before the whole body is written
                }
            }
            String all = c.readToEnd();
            int end = all.indexOf("\r\n\r\n");
            String[] lines = all.substring(0, end).split("\r\n");
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
            assertThat(lines[0]).as("no 100 Continue before the refusal").doesNotContain(" 100 ");
            return new Resp(Integer.parseInt(lines[0].split(" ")[1]), java.net.http.HttpHeaders.of(headers, (a, b) -> true),
                    all.substring(end + 4));
        }
    }

    static FileUrlSigner signerAt(byte[] key, Instant now) {
        return FileUrlSigner.builder().key(key).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
    }

    static String flipLast(String signedUrl) {
        char last = signedUrl.charAt(signedUrl.length() - 1);
        return signedUrl.substring(0, signedUrl.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    static String queryOf(String signedUrl) {
        return signedUrl.substring(signedUrl.indexOf('?'));
    }

    static Extra none() {
        return r -> { };
    }

    static Extra bodyIs(String content) {
        return r -> assertThat(r.body()).isEqualTo(content);
    }

    static void rewriteKeyFile(String... lines) throws Exception {
        Path tmp = dir.resolve("keys.tmp");
        Files.writeString(tmp, String.join("\n", lines) + "\n");
        Files.move(tmp, keyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ================================================================== the table

    static Stream<Case> cases() throws Exception {
        List<Case> t = new ArrayList<>();
        Env s = secured;
        String id = hello.fileId();
        String missing = "Zz" + id.substring(2, id.length() - 2) + "Qq";
        String signed = appSigner.sign(url(hello));
        String missingPath = "/files/" + hello.storagePath().substring(0, 3) + "Zz" + hello.storagePath().substring(5);

        // ---------------------------------------------------------- POST /attachments
        t.add(new Case("no Authorization", "POST /attachments multipart", s, 401, 0, () -> upload(s), none()));
        t.add(new Case("unknown bearer key", "POST /attachments multipart", s, 401, 0, () -> upload(s, bearer("ak_not-a-key-0123456789abcd")),
                r -> assertThat(r.header("WWW-Authenticate")).contains("invalid_token")));
        t.add(new Case("Basic credentials", "POST /attachments multipart", s, 401, 0,
                () -> upload(s, "Authorization", "Basic " + Base64.getEncoder().encodeToString(bytes("writer:" + WRITER))), none()));
        t.add(new Case("empty bearer", "POST /attachments multipart", s, 401, 0, () -> upload(s, "Authorization", "Bearer"), none()));
        t.add(new Case("the key's stored hash as the key", "POST /attachments multipart", s, 401, 0,
                () -> upload(s, bearer(ApiKeys.keyFileLine("writer", ApiKeyScope.READ_WRITE, WRITER).split(":")[2])), none()));
        t.add(new Case("the writer key plus one character", "POST /attachments multipart", s, 401, 0, () -> upload(s, bearer(WRITER + "x")), none()));
        t.add(new Case("the writer key in upper case", "POST /attachments multipart", s, 401, 0,
                () -> upload(s, bearer(WRITER.toUpperCase(Locale.ROOT))), none()));
        t.add(new Case("key in the query (?api_key=)", "POST /attachments multipart", s, 401, 0, () -> {
            Multipart mp = new Multipart().file("files", "q.txt", "text/plain", bytes("q"));
            return send(s, "POST", "/attachments?api_key=" + WRITER, mp.build(), "Content-Type", mp.contentType());
        }, none()));
        t.add(new Case("read-only key (key file)", "POST /attachments multipart", s, 403, 0, () -> upload(s, bearer(READER)),
                r -> assertThat((String) r.json().get("error")).contains("reader").contains("read-write")));
        t.add(new Case("read-only key (environment)", "POST /attachments multipart", s, 403, 0, () -> upload(s, bearer(ENV_READER)), none()));
        t.add(new Case("no Authorization", "POST /attachments base64 JSON", s, 401, 0, () -> uploadJson(s), none()));
        t.add(new Case("read-only key", "POST /attachments base64 JSON", s, 403, 0, () -> uploadJson(s, bearer(READER)), none()));
        t.add(new Case("no Authorization, Expect: 100-continue (raw socket)", "POST /attachments, 1 MiB declared", s, 401, 0,
                () -> raw(s, "POST /attachments HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                        + "Content-Length: 1048576\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", null), none()));
        t.add(new Case("no Authorization, body written before reading (raw socket)", "POST /attachments, 1 MiB sent", s, 401, 0,
                () -> raw(s, "POST /attachments HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                        + "Content-Length: 1048576\r\nConnection: close\r\n\r\n", new byte[1 << 20]), none()));
        t.add(new Case("X-Request-Id given, no key", "POST /attachments", s, 401, 0, () -> upload(s, "X-Request-Id", "trace-42"),
                r -> assertThat(r.json().get("request_id")).isEqualTo("trace-42")));
        t.add(new Case("read-write key", "POST /attachments multipart", s, 200, 1, () -> upload(s, bearer(WRITER)), r -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> pc = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((List<?>) r.json().get("items")).get(0))
                    .get("attachment")).get("processed_content");
            String u = (String) pc.get("url");
            String su = (String) pc.get("signed_url");
            assertThat(u).startsWith("/files/").doesNotContain("?");
            assertThat(su).startsWith(u + "?expires=").contains("signature=");
            assertThat(get(s, su).status()).as("the signed_url works without a key").isEqualTo(200);
            assertThat(get(s, u).status()).as("the plain url needs a key").isEqualTo(401);
        }));

        // ---------------------------------------------------------- POST /query
        t.add(new Case("no Authorization", "POST /query", s, 401, 0, () -> query(s), none()));
        t.add(new Case("unknown key", "POST /query", s, 401, 0, () -> query(s, bearer("ak_wrong-0123456789abcdefgh")), none()));
        t.add(new Case("read-only key", "POST /query", s, 403, 0, () -> query(s, bearer(READER)), none()));
        t.add(new Case("read-write key", "POST /query", s, 200, 0, () -> query(s, bearer(WRITER)), none()));

        // ---------------------------------------------------------- GET /attachments/{file_id}
        t.add(new Case("no Authorization", "GET /attachments/{existing id}", s, 401, 0, () -> get(s, "/attachments/" + id), none()));
        t.add(new Case("no Authorization", "GET /attachments/{missing id}: same answer as an existing id", s, 401, 0,
                () -> get(s, "/attachments/" + missing), r -> {
                    Resp existing = get(s, "/attachments/" + id);
                    assertThat(r.json().get("error")).isEqualTo(existing.json().get("error"));
                    assertThat(r.header("WWW-Authenticate")).isEqualTo(existing.header("WWW-Authenticate"));
                }));
        t.add(new Case("no Authorization", "GET /attachments/../../etc (checked after the key)", s, 401, 0,
                () -> get(s, "/attachments/..%2f..%2fetc"), none()));
        t.add(new Case("unknown key", "GET /attachments/{existing id}", s, 401, 0, () -> get(s, "/attachments/" + id, bearer("nope")), none()));
        t.add(new Case("unknown key", "GET /attachments/{missing id}", s, 401, 0, () -> get(s, "/attachments/" + missing, bearer("nope")), none()));
        t.add(new Case("no Authorization", "HEAD /attachments/{existing id}", s, 401, 0,
                () -> send(s, "HEAD", "/attachments/" + id, null), none()));
        t.add(new Case("read-only key", "DELETE /attachments/{existing id}", s, 403, 0,
                () -> send(s, "DELETE", "/attachments/" + id, null, bearer(READER)), none()));
        t.add(new Case("no Authorization", "DELETE /attachments/{existing id}", s, 401, 0,
                () -> send(s, "DELETE", "/attachments/" + id, null), none()));
        t.add(new Case("read-only key", "GET /attachments/{existing id}", s, 200, 0, () -> get(s, "/attachments/" + id + "?wait=30", bearer(READER)),
                r -> assertThat(r.body()).contains("\"signed_url\":\"" + url(hello) + "?expires=")));
        t.add(new Case("read-only key", "GET /attachments/{missing id}: 404 only once the key is good", s, 404, 0,
                () -> get(s, "/attachments/" + missing, bearer(READER)), none()));
        t.add(new Case("key appended to the key file while running", "GET /attachments/{existing id}", s, 200, 0, () -> {
            Files.writeString(keyFile, ApiKeys.keyFileLine("late", ApiKeyScope.READ, LATE) + "\n", java.nio.file.StandardOpenOption.APPEND);
            return get(s, "/attachments/" + id + "?wait=30", bearer(LATE));
        }, none()));
        t.add(new Case("key revoked by rewriting the key file (it worked just before)", "POST /attachments multipart", s, 401, 0, () -> upload(s, bearer(TEMP)), none(), () -> {
            assertThat(get(s, "/attachments/" + id + "?wait=30", bearer(TEMP)).status()).isEqualTo(200);
            rewriteKeyFile(ApiKeys.keyFileLine("reader", ApiKeyScope.READ, READER), ApiKeys.keyFileLine("late", ApiKeyScope.READ, LATE));
        }));
        t.add(new Case("revoked key", "GET /files/{path}", s, 401, 0, () -> get(s, url(hello), bearer(TEMP)), none()));

        // ---------------------------------------------------------- /files with keys
        t.add(new Case("no key, no signature", "GET /files/{path}", s, 401, 0, () -> get(s, url(hello)), none()));
        t.add(new Case("unknown key, no signature", "GET /files/{path}", s, 401, 0, () -> get(s, url(hello), bearer("nope")), none()));
        t.add(new Case("read-only key", "GET /files/{path}", s, 200, 0, () -> get(s, url(hello), bearer(READER)), bodyIs(SECRET)));
        t.add(new Case("read-write key", "GET /files/{path}", s, 200, 0, () -> get(s, url(hello), bearer(WRITER)), bodyIs(SECRET)));
        t.add(new Case("valid signed URL", "GET /files/{path}", s, 200, 0, () -> get(s, signed), bodyIs(SECRET)));
        t.add(new Case("unknown key beside a valid signed URL", "GET /files/{path}", s, 401, 0, () -> get(s, signed, bearer("nope")),
                r -> assertThat(r.header("WWW-Authenticate")).contains("invalid_token")));
        t.add(new Case("signed URL expired 10 s ago, within the 30 s skew", "GET /files/{path}", s, 200, 0,
                () -> get(s, signerAt(SIGNING_KEY, Instant.now().minusSeconds(3610)).sign(url(hello))), bodyIs(SECRET)));
        t.add(new Case("signed URL expired 2 minutes ago", "GET /files/{path}", s, 403, 0,
                () -> get(s, signerAt(SIGNING_KEY, Instant.now().minusSeconds(3720)).sign(url(hello))),
                r -> assertThat((String) r.json().get("error")).contains("expired")));
        t.add(new Case("tampered signature (last character)", "GET /files/{path}", s, 403, 0, () -> get(s, flipLast(signed)), none()));
        t.add(new Case("expiry pushed a year later", "GET /files/{path}", s, 403, 0, () -> {
            String e = signed.replaceAll("expires=(\\d+)", "expires=" + (Instant.now().getEpochSecond() + 31_536_000L));
            return get(s, e);
        }, none()));
        t.add(new Case("disposition turned from inline to attachment", "GET /files/{path}", s, 403, 0,
                () -> get(s, signed.replace("disposition=inline", "disposition=attachment")), none()));
        t.add(new Case("signed as a download", "GET /files/{path}", s, 200, 0,
                () -> get(s, appSigner.sign(url(hello), Duration.ofMinutes(1), FileUrlSigner.Disposition.ATTACHMENT)),
                r -> assertThat(r.header("Content-Disposition")).startsWith("attachment;")));
        t.add(new Case("another file's signature", "GET /files/{path}", s, 403, 0, () -> get(s, url(hello) + queryOf(appSigner.sign(url(other)))),
                none()));
        t.add(new Case("signed with a rotated-out signing key (replay)", "GET /files/{path}", s, 403, 0,
                () -> get(s, FileUrlSigner.builder().key(ROTATED_OUT_KEY).build().sign(url(hello))), none()));
        t.add(new Case("signature parameter only", "GET /files/{path}", s, 403, 0,
                () -> get(s, url(hello) + "?signature=" + signed.substring(signed.indexOf("signature=") + 10)), none()));
        t.add(new Case("expires not a number", "GET /files/{path}", s, 403, 0,
                () -> get(s, signed.replaceAll("expires=\\d+", "expires=9e99")), none()));
        t.add(new Case("valid signature, traversal added to the path", "GET /files/{shard}/../{path}", s, 403, 0,
                () -> get(s, "/files/" + hello.storagePath().substring(0, 3) + "../" + hello.storagePath() + queryOf(signed)), none()));
        t.add(new Case("valid signature, %2e%2e traversal added", "GET /files/%2e%2e/{path}", s, 403, 0,
                () -> get(s, "/files/%2e%2e/" + hello.storagePath() + queryOf(signed)), none()));
        t.add(new Case("traversal signed with the server's own key", "GET /files/../../keys.txt", s, 400, 0,
                () -> get(s, appSigner.sign("/files/..%2f..%2fkeys.txt")), r -> assertThat(r.body()).doesNotContain("reader:read")));
        t.add(new Case("bad signature, missing file: the same 403 as for an existing one", "GET /files/{missing path}", s, 403, 0,
                () -> get(s, missingPath + queryOf(flipLast(signed))), none()));
        t.add(new Case("valid signature, missing file", "GET /files/{missing path}", s, 404, 0, () -> get(s, appSigner.sign(missingPath)), none()));
        t.add(new Case("HEAD, bad signature", "HEAD /files/{path}", s, 403, 0, () -> send(s, "HEAD", flipLast(signed), null),
                r -> assertThat(r.header("Content-Length")).isNotEqualTo(String.valueOf(hello.size()))));
        t.add(new Case("HEAD, valid signature", "HEAD /files/{path}", s, 200, 0, () -> send(s, "HEAD", signed, null),
                r -> assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(hello.size()))));
        t.add(new Case("Range, bad signature", "GET /files/{path} Range: bytes=0-3", s, 403, 0,
                () -> get(s, flipLast(signed), "Range", "bytes=0-3"), r -> assertThat(r.header("Content-Range")).isNull()));
        t.add(new Case("Range, valid signature", "GET /files/{path} Range: bytes=0-3", s, 206, 0,
                () -> get(s, signed, "Range", "bytes=0-3"), bodyIs(SECRET.substring(0, 4))));
        t.add(new Case("If-None-Match (the 304 path), bad signature", "GET /files/{path}", s, 403, 0,
                () -> get(s, flipLast(signed), "If-None-Match", "\"" + hello.sha256() + "\""), r -> assertThat(r.header("ETag")).isNull()));
        t.add(new Case("If-None-Match, no key", "GET /files/{path}", s, 401, 0,
                () -> get(s, url(hello), "If-None-Match", "\"" + hello.sha256() + "\""), none()));
        t.add(new Case("If-None-Match, valid signature", "GET /files/{path}", s, 304, 0,
                () -> get(s, signed, "If-None-Match", "\"" + hello.sha256() + "\""), none()));
        t.add(new Case("no key", "GET /health (stays open for probes)", s, 200, 0, () -> get(s, "/health"), none()));

        // ---------------------------------------------------------- --public-files
        Env p = publicFiles;
        t.add(new Case("no key, public files", "GET /files/{path}", p, 200, 0, () -> get(p, "/files/" + p.local.stat(publicId).storagePath()), bodyIs(SECRET)));
        t.add(new Case("no key, public files", "GET /attachments/{id} still needs a key", p, 401, 0, () -> get(p, "/attachments/" + publicId), none()));
        t.add(new Case("read key, public files", "GET /attachments/{id}: no signed_url", p, 200, 0,
                () -> get(p, "/attachments/" + publicId + "?wait=30", bearer(READER)), r -> assertThat(r.body()).doesNotContain("signed_url")));

        // ---------------------------------------------------------- open mode (loopback, no keys)
        Env o = open;
        t.add(new Case("open loopback, no key", "POST /attachments multipart", o, 200, 1, () -> upload(o),
                r -> assertThat(r.body()).doesNotContain("signed_url")));
        t.add(new Case("open loopback, garbage Authorization", "POST /query", o, 200, 0, () -> query(o, "Authorization", "Bearer whatever"), none()));
        t.add(new Case("open loopback, no key", "GET /attachments/{missing id}", o, 404, 0, () -> get(o, "/attachments/" + missing), none()));

        // ---------------------------------------------------------- bind rules (no request: the server must not start)
        t.add(new Case("no keys", "build() on 0.0.0.0", o, 200, 0, () -> {
            assertThatThrownBy(() -> AttachkitServer.builder().store(o.store).bindAddress("0.0.0.0").port(0).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("attachkit keys new").hasMessageContaining("--insecure-open");
            return get(o, "/health");
        }, none()));
        t.add(new Case("no keys, insecureOpen", "build().start() on 0.0.0.0", o, 200, 0, () -> {
            try (AttachkitServer srv = AttachkitServer.builder().store(o.local).bindAddress("0.0.0.0").port(0).insecureOpen(true).build().start()) {
                assertThat(srv.port()).isPositive();
            }
            return get(o, "/health");
        }, none()));
        t.add(new Case("keys", "build().start() on 0.0.0.0", o, 200, 0, () -> {
            try (AttachkitServer srv = AttachkitServer.builder().store(o.local).bindAddress("0.0.0.0").port(0)
                    .apiKeys(ApiKeys.builder().key("k", ApiKeyScope.READ, READER).build()).build().start()) {
                assertThat(srv.port()).isPositive();
            }
            return get(o, "/health");
        }, none()));
        t.add(new Case("no keys", "attachkit serve --bind 0.0.0.0 exits 2 and says how to make a key", o, 200, 0, () -> {
            StringWriter err = new StringWriter();
            CommandLine cl = new CommandLine(new AttachkitCommand(new ByteArrayOutputStream()));
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            int code = cl.execute("serve", "--store", dir.resolve("cli-store").toString(), "--bind", "0.0.0.0", "--port", "0");
            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("attachkit keys new --scope read-write");
            return get(o, "/health");
        }, none()));
        t.add(new Case("attachkit keys new", "prints the key once; the file holds only its hash; the server takes it", s, 200, 0, () -> {
            StringWriter out = new StringWriter();
            CommandLine cl = new CommandLine(new AttachkitCommand(new ByteArrayOutputStream()));
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(new StringWriter()));
            assertThat(cl.execute("keys", "new", "--scope", "read", "--id", "cli", "--key-file", keyFile.toString())).isZero();
            String key = out.toString().strip();
            assertThat(key).startsWith("ak_").hasSizeGreaterThan(40);
            assertThat(Files.readString(keyFile)).doesNotContain(key).contains(ApiKeys.keyFileLine("cli", ApiKeyScope.READ, key));
            assertThat(upload(s, bearer(key)).status()).as("a read key from the CLI cannot write").isEqualTo(403);
            return get(s, "/attachments/" + id + "?wait=30", bearer(key));
        }, none()));
        return t.stream();
    }
}
