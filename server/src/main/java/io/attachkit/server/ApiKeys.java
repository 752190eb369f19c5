package io.attachkit.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys a server accepts ({@code Authorization: Bearer <key>}), each with an id and an {@link ApiKeyScope}.
 * Only SHA-256 hashes of the keys are held, and a presented key is compared, in constant time, with every one of
 * them. Keys come from the builder, from an environment value, and from a key file of {@code id:scope:sha256-hex}
 * lines ({@code #} starts a comment), which is read again whenever it changes: keys are added and revoked without a
 * restart.
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.builder()
 *         .key("ci", ApiKeyScope.READ_WRITE, System.getenv("CI_KEY"))
 *         .keyFile(Path.of("/etc/attachkit/keys"))          // lines written by `attachkit keys new`
 *         .build();
 * AttachkitServer.builder().store(store).apiKeys(keys).build().start();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ApiKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);
    /** The environment variable {@code attachkit serve} reads keys from: {@code id:scope:key} entries, comma-separated. */
    public static final String ENVIRONMENT_VARIABLE = "ATTACHKIT_API_KEYS";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String SECRET_PREFIX = "ak_";

    /** A key's id and scope: who made a request (never the key itself). */
    public record Holder(String id, ApiKeyScope scope) {
        /**
         * @param id the key's id
         * @param scope what it may do
         */
        public Holder {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(scope, "scope");
        }
    }

    private record Entry(Holder holder, byte[] hash) {
    }

    private final List<Entry> fixed;
    private final Path keyFile;
    private volatile FileKeys fromFile = FileKeys.NONE;

    private record FileKeys(Object version, List<Entry> entries) {
        static final FileKeys NONE = new FileKeys(null, List.of());
    }

    private ApiKeys(Builder b) {
        this.fixed = List.copyOf(b.entries);
        this.keyFile = b.keyFile;
        if (keyFile != null) {
            reloadIfChanged();
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return no keys: the server runs open (only allowed on loopback, or with {@code insecureOpen}) */
    public static ApiKeys none() {
        return builder().build();
    }

    /** @return whether any key source was configured (a key file counts even while it is empty) */
    public boolean configured() {
        return !fixed.isEmpty() || keyFile != null;
    }

    /** @return how many keys are accepted right now */
    public int size() {
        reloadIfChanged();
        return fixed.size() + fromFile.entries().size();
    }

    /**
     * Finds the key presented. Every known hash is compared, in constant time, whatever matched before.
     *
     * @param presented the bearer token, or {@code null}
     * @return the key's holder, empty when the key is not (or no longer) accepted
     */
    public Optional<Holder> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        reloadIfChanged();
        byte[] hash = sha256(presented);
        Holder found = null;
        for (List<Entry> list : List.of(fixed, fromFile.entries())) {
            for (Entry e : list) {
                if (MessageDigest.isEqual(e.hash(), hash) && found == null) {
                    found = e.holder();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** Reads the key file again when its size, time or inode changed; a missing file means none of its keys. */
    private void reloadIfChanged() {
        if (keyFile == null) {
            return;
        }
        Object version;
        try {
            BasicFileAttributes a = Files.readAttributes(keyFile, BasicFileAttributes.class);
            version = List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (NoSuchFileException e) {
            version = "missing";
        } catch (IOException e) {
            version = "unreadable";
        }
        FileKeys current = fromFile;
        if (version.equals(current.version())) {
            return;
        }
        synchronized (this) {
            if (version.equals(fromFile.version())) {
                return;
            }
            List<Entry> entries = version instanceof String ? List.of() : readKeyFile(keyFile);
            if (current.version() != null) {
                LOG.info("API key file {} changed: {} keys", keyFile, entries.size());
            }
            fromFile = new FileKeys(version, entries);
        }
    }

    private static List<Entry> readKeyFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Cannot read the API key file {}: {}; none of its keys are accepted", file, e.toString());
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(parseFileLine(line));
            } catch (IllegalArgumentException e) {
                LOG.warn("API key file {} line {} skipped: {}", file, i + 1, e.getMessage());
            }
        }
        return List.copyOf(entries);
    }

    private static Entry parseFileLine(String line) {
        String[] f = line.split(":", -1);
        if (f.length != 3) {
            throw new IllegalArgumentException("expected id:scope:sha256-hex");
        }
        String hex = f[2].trim().toLowerCase(java.util.Locale.ROOT);
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("the hash must be 64 hex digits (the SHA-256 of the key)");
        }
        return new Entry(new Holder(checkId(f[0].trim()), ApiKeyScope.parse(f[1])), HexFormat.of().parseHex(hex));
    }

    private static String checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("key id must be 1 to 64 of A-Z a-z 0-9 . _ -, was \"" + id + "\"");
        }
        return id;
    }

    /** @return a new random key (256 bits, URL-safe base64 with an {@code ak_} prefix) */
    public static String newSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * @param id the key's id
     * @param scope its scope
     * @param secret the key
     * @return the key-file line for it: {@code id:scope:sha256-hex}
     */
    public static String keyFileLine(String id, ApiKeyScope scope, String secret) {
        return checkId(id) + ":" + scope.token() + ":" + HexFormat.of().formatHex(sha256(secret));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + fixed.size() + " configured" + (keyFile != null ? ", file " + keyFile : "") + "]";
    }

    /** Builds {@link ApiKeys}. */
    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private Path keyFile;

        private Builder() {
        }

        /**
         * @param id the key's id (1 to 64 of {@code A-Z a-z 0-9 . _ -}), logged with each request it makes
         * @param scope what the key may do
         * @param secret the key itself, at least 16 characters; only its hash is kept
         * @return this builder
         * @throws IllegalArgumentException if the id or the key is not acceptable
         */
        public Builder key(String id, ApiKeyScope scope, String secret) {
            Objects.requireNonNull(scope, "scope");
            if (secret == null || secret.length() < 16) {
                throw new IllegalArgumentException("the key for " + id + " must be at least 16 characters; make one with"
                        + " `attachkit keys new`");
            }
            entries.add(new Entry(new Holder(checkId(id), scope), sha256(secret)));
            return this;
        }

        /**
         * @param value {@code id:scope:key} entries separated by commas (the format of {@value #ENVIRONMENT_VARIABLE}),
         *     or {@code null}/blank for none
         * @return this builder
         * @throws IllegalArgumentException if an entry is malformed (the message never holds the key)
         */
        public Builder fromEnvironmentValue(String value) {
            if (value == null || value.isBlank()) {
                return this;
            }
            int n = 0;
            for (String item : value.split(",")) {
                n++;
                String[] f = item.strip().split(":", 3);
                if (f.length != 3) {
                    throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " entry " + n + " must be id:scope:key");
                }
                key(f[0], ApiKeyScope.parse(f[1]), f[2]);
            }
            return this;
        }

        /**
         * @param file a key file of {@code id:scope:sha256-hex} lines, read again whenever it changes; it may be
         *     missing or empty for now (no key is then accepted from it)
         * @return this builder
         */
        public Builder keyFile(Path file) {
            this.keyFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** @return the keys (an unreadable key file is logged, accepts no key, and is read again when it changes) */
        public ApiKeys build() {
            return new ApiKeys(this);
        }
    }
}
