package io.attachkit.server.hostile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attachkit.Attachments;
import io.attachkit.StorageLimits;
import io.attachkit.StoredFile;
import io.attachkit.server.AttachkitServer;
import io.attachkit.server.ServerLimits;
import io.attachkit.server.cli.AttachkitCommand;
import io.attachkit.storage.local.LocalFileStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * What every hostile case runs against: a real local store in {@code sandbox/store}, a canary directory next
 * to it, the real HTTP server on a loopback port, and the CLI run in-process on the same store.
 */
final class HostileEnv implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long MAX_FILE_SIZE = 4L << 20;
    static final long MAX_BODY_SIZE = 32L << 20;
    static final int MAX_PARTS = 10;

    final Path sandbox;
    final Path root;
    final Path canary;
    final Path inputs;
    final LocalFileStore store;
    final Attachments attachments;
    final AttachkitServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final byte[] fixtureBytes;
    final StoredFile fixture;

    HostileEnv(Path sandbox) throws IOException {
        this.sandbox = sandbox;
        this.root = Files.createDirectories(sandbox.resolve("store"));
        this.canary = Files.createDirectories(sandbox.resolve("canary"));
        this.inputs = Files.createDirectories(sandbox.resolve("inputs"));
        Files.writeString(canary.resolve("canary.txt"), "the canary: nothing may touch this directory");
        this.store = LocalFileStore.builder().root(root)
                .limits(StorageLimits.builder().maxFileSize(MAX_FILE_SIZE).build()).build();
        this.attachments = Attachments.builder().store(store).build();
        this.server = AttachkitServer.builder().attachments(attachments).port(0)
                .limits(ServerLimits.builder().maxBodySize(MAX_BODY_SIZE).maxParts(MAX_PARTS)
                        .requestTimeout(Duration.ofSeconds(60)).build())
                .build().start();
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 1000; i++) {
            text.append("line ").append(i).append(" of the range fixture\n");
        }
        this.fixtureBytes = text.substring(0, 1000).getBytes(StandardCharsets.US_ASCII);
        this.fixture = store.save(new ByteArrayInputStream(fixtureBytes), "fixture.txt", "text/plain");
    }

    String fixtureUrl() {
        return "/files/" + fixture.storagePath();
    }

    Path input(String name, byte[] content) throws IOException {
        return Files.write(inputs.resolve(name), content);
    }

    // ------------------------------------------------------------------ HTTP

    /** An HTTP answer. */
    record Resp(int status, Map<String, List<String>> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        Map<String, Object> json() throws IOException {
            return JSON.readValue(body, new TypeReference<>() { });
        }
    }

    Resp send(String method, String rawPath, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + rawPath))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Resp(r.statusCode(), r.headers().map(), r.body());
    }

    Resp get(String rawPath, String... headers) throws IOException, InterruptedException {
        return send("GET", rawPath, null, null, headers);
    }

    /**
     * POSTs; uploads ({@code /attachments}, {@code /query}) wait for their processing ({@code ?wait=60}), so that each
     * row sees its files processed and the store settled before the next snapshot.
     */
    Resp post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        boolean upload = path.equals("/attachments") || path.equals("/query");
        return send("POST", upload ? path + "?wait=60" : path, contentType, body);
    }

    /**
     * Sends a request over a plain socket, so the head (Content-Length, Transfer-Encoding) can lie; the body is
     * written from another thread until it ends or the server stops reading, while the answer is read here.
     */
    Resp raw(String head, InputStream body, boolean chunked) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.baseUri().getHost(), server.port()), 10_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread writer = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = body) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (chunked) {
                            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        }
                        out.write(buf, 0, n);
                        if (chunked) {
                            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        }
                    }
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.flush();
                    socket.shutdownOutput();
                } catch (IOException stopped) {
                    // the server answered and closed: expected for refused bodies
                }
            }, "hostile-raw-writer");
            writer.setDaemon(true);
            writer.start();
            byte[] answer = readAnswer(socket.getInputStream());
            writer.interrupt();
            return parse(answer);
        }
    }

    private static byte[] readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int headEnd = -1;
        long contentLength = -1;
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketException reset) {
                break; // the server reset the connection after answering
            }
            if (n < 0) {
                break;
            }
            got.write(buf, 0, n);
            byte[] all = got.toByteArray();
            if (headEnd < 0) {
                headEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                if (headEnd >= 0) {
                    String head = new String(all, 0, headEnd, StandardCharsets.ISO_8859_1);
                    for (String line : head.split("\r\n")) {
                        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                            contentLength = Long.parseLong(line.substring(15).trim());
                        }
                    }
                }
            }
            if (headEnd >= 0 && contentLength >= 0 && all.length >= headEnd + 4 + contentLength) {
                break;
            }
        }
        return got.toByteArray();
    }

    private static Resp parse(byte[] answer) {
        int headEnd = indexOf(answer, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (headEnd < 0) {
            throw new AssertionError("No HTTP answer, got: " + new String(answer, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(answer, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim(), List.of(lines[i].substring(colon + 1).trim()));
        }
        byte[] body = java.util.Arrays.copyOfRange(answer, headEnd + 4, answer.length);
        return new Resp(status, headers, body);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ------------------------------------------------------------------ CLI

    /** A CLI run: exit code, standard output and error. */
    record Run(int code, String out, String err) {
    }

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AttachkitCommand(new ByteArrayOutputStream()));
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    // ------------------------------------------------------------------ what must not change

    /** Everything a case must leave alone or account for. */
    record Snapshot(Map<String, String> outsideStore, Set<String> ids, int derivedRecords, long filesInStore,
                    List<String> tempFilesInStore, Set<String> systemTempFiles) {
    }

    Snapshot snapshot() throws IOException, InterruptedException {
        // background processing (a row that stored without waiting) settles first: it writes records and temp files
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (attachments.activeJobs() > 0 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        Map<String, String> outside = new TreeMap<>();
        try (Stream<Path> s = Files.walk(sandbox)) {
            for (Path p : s.filter(p -> !p.startsWith(root) && !p.startsWith(inputs)).toList()) {
                outside.put(sandbox.relativize(p).toString(), Files.isRegularFile(p) ? sha256(p) : "dir");
            }
        }
        List<String> temp;
        long files;
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = s.filter(Files::isRegularFile).toList();
            files = all.size();
            temp = all.stream().map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".tmp-")).toList();
        }
        return new Snapshot(outside, new TreeSet<>(store.list()), store.derivedRecordDigests().size(), files, temp, systemTemp());
    }

    /** Temp files attachkit's processors (and the libraries they use) could leave in java.io.tmpdir. */
    private static Set<String> systemTemp() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("attachkit-") || n.startsWith("PDFBox") || n.startsWith("imageio")
                            || n.startsWith("+~JF") || n.startsWith("tess"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String sha256(Path p) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        attachments.close();
        store.close();
    }
}
