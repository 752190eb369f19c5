package io.attachkit;

import io.attachkit.internal.mime.MimeTypes;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@link FileStore} accepts: the maximum file size, the maximum total storage, and the allowed
 * MIME types. Immutable and thread-safe.
 *
 * <p>Each setting comes from the builder if set there, else from the environment
 * ({@code ATTACHKIT_MAX_FILE_SIZE}, {@code ATTACHKIT_MAX_STORAGE_SIZE}, {@code ATTACHKIT_ALLOWED_MIME_TYPES}),
 * else from Tyler's defaults: 50 MiB per file, 5 GiB in all, and Tyler's 24 types plus the ones
 * attachkit's processors read (TIFF, BMP, Markdown, tab-separated values). An environment value that
 * does not parse is an error when the limits are built, never a silent default.
 *
 * <pre>{@code
 * StorageLimits limits = StorageLimits.builder()
 *     .maxFileSize(10 * 1024 * 1024)
 *     .allowMimeType("application/vnd.ms-excel")
 *     .build();
 * }</pre>
 */
public final class StorageLimits {
    /** Environment variable for the maximum file size in bytes. */
    public static final String ENV_MAX_FILE_SIZE = "ATTACHKIT_MAX_FILE_SIZE";
    /** Environment variable for the maximum total storage in bytes. */
    public static final String ENV_MAX_STORAGE_SIZE = "ATTACHKIT_MAX_STORAGE_SIZE";
    /** Environment variable for the allowed MIME types, comma-separated. */
    public static final String ENV_ALLOWED_MIME_TYPES = "ATTACHKIT_ALLOWED_MIME_TYPES";

    /** Tyler's default maximum file size: 50 MiB. */
    public static final long DEFAULT_MAX_FILE_SIZE = 50L * 1024 * 1024;
    /** Tyler's default maximum storage size: 5 GiB. */
    public static final long DEFAULT_MAX_STORAGE_SIZE = 5L * 1024 * 1024 * 1024;

    /** Tyler's 24 allowed types. */
    public static final Set<String> TYLER_MIME_TYPES = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(
            "application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "text/plain", "text/csv", "application/json",
            "image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml",
            "application/zip", "application/x-tar", "application/gzip",
            "audio/mpeg", "audio/mp3", "audio/mp4", "audio/opus", "audio/ogg", "audio/wav", "audio/webm",
            "audio/aac", "audio/flac", "audio/x-m4a")));

    /** The default allowed types: Tyler's plus what attachkit's processors read. */
    public static final Set<String> DEFAULT_MIME_TYPES;

    static {
        Set<String> s = new LinkedHashSet<>(TYLER_MIME_TYPES);
        s.addAll(Arrays.asList("image/tiff", "image/bmp", "text/markdown", "text/tab-separated-values",
                // office, web and email documents (read by attachkit-processors-office); HTML is served as a download
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
                "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
                "application/vnd.oasis.opendocument.presentation",
                "application/rtf", "text/html", "message/rfc822", "application/vnd.ms-outlook"));
        DEFAULT_MIME_TYPES = Collections.unmodifiableSet(s);
    }

    private final long maxFileSize;
    private final long maxStorageSize;
    private final Set<String> allowedMimeTypes;
    /** The allowed types in normalised spelling, so aliases match ({@code image/jpg}, {@code audio/x-wav}). */
    private final Set<String> normalizedAllowed;

    private StorageLimits(long maxFileSize, long maxStorageSize, Set<String> allowedMimeTypes) {
        this.maxFileSize = maxFileSize;
        this.maxStorageSize = maxStorageSize;
        this.allowedMimeTypes = allowedMimeTypes;
        this.normalizedAllowed = allowedMimeTypes.stream().map(MimeTypes::normalize).collect(Collectors.toUnmodifiableSet());
    }

    /** @return a builder that reads the process environment for settings it is not given */
    public static Builder builder() {
        return new Builder(System.getenv());
    }

    /**
     * @param environment the variables to read instead of the process environment (for tests and
     *     embedding applications that keep configuration elsewhere)
     * @return a builder
     */
    public static Builder builder(Map<String, String> environment) {
        return new Builder(Objects.requireNonNull(environment, "environment"));
    }

    /**
     * @return limits from the process environment, else Tyler's defaults
     * @throws IllegalArgumentException if an environment variable does not parse
     */
    public static StorageLimits fromEnvironment() {
        return builder().build();
    }

    /** @return Tyler's defaults, ignoring the environment */
    public static StorageLimits defaults() {
        return builder(Map.of()).build();
    }

    /** @return the largest file accepted, in bytes */
    public long maxFileSize() {
        return maxFileSize;
    }

    /** @return the largest total storage, in bytes */
    public long maxStorageSize() {
        return maxStorageSize;
    }

    /** @return the allowed MIME types, lower case, as configured */
    public Set<String> allowedMimeTypes() {
        return allowedMimeTypes;
    }

    /**
     * @param mimeType a MIME type, possibly with parameters or an alias such as {@code image/jpg}
     * @return whether it is allowed
     */
    public boolean isAllowed(String mimeType) {
        if (mimeType == null) {
            return false;
        }
        return normalizedAllowed.contains(MimeTypes.normalize(mimeType));
    }

    /** @return a builder with these settings, for a changed copy */
    public Builder toBuilder() {
        return builder(Map.of()).maxFileSize(maxFileSize).maxStorageSize(maxStorageSize).allowedMimeTypes(allowedMimeTypes);
    }

    @Override
    public String toString() {
        return "StorageLimits{maxFileSize=" + maxFileSize + ", maxStorageSize=" + maxStorageSize
                + ", allowedMimeTypes=" + allowedMimeTypes + "}";
    }

    /** Builds {@link StorageLimits}; settings not given come from the environment, then the defaults. */
    public static final class Builder {
        private final Map<String, String> environment;
        private Long maxFileSize;
        private Long maxStorageSize;
        private Set<String> allowedMimeTypes;

        private Builder(Map<String, String> environment) {
            this.environment = environment;
        }

        /**
         * @param bytes the largest file accepted, positive
         * @return this builder
         */
        public Builder maxFileSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxFileSize must be positive, was " + bytes);
            }
            this.maxFileSize = bytes;
            return this;
        }

        /**
         * @param bytes the largest total storage, positive
         * @return this builder
         */
        public Builder maxStorageSize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxStorageSize must be positive, was " + bytes);
            }
            this.maxStorageSize = bytes;
            return this;
        }

        /**
         * Replaces the allowed types.
         *
         * @param mimeTypes the allowed MIME types, not empty
         * @return this builder
         */
        public Builder allowedMimeTypes(Set<String> mimeTypes) {
            Objects.requireNonNull(mimeTypes, "allowedMimeTypes");
            if (mimeTypes.isEmpty()) {
                throw new IllegalArgumentException("allowedMimeTypes must not be empty: nothing could be stored");
            }
            Set<String> normalized = new LinkedHashSet<>();
            for (String t : mimeTypes) {
                normalized.add(checkMimeType("allowedMimeTypes", t));
            }
            this.allowedMimeTypes = normalized;
            return this;
        }

        /**
         * Adds one type to the allowed types (to the defaults, if none were set).
         *
         * @param mimeType the MIME type to allow
         * @return this builder
         */
        public Builder allowMimeType(String mimeType) {
            if (allowedMimeTypes == null) {
                allowedMimeTypes = new LinkedHashSet<>(envOrDefaultTypes());
            }
            allowedMimeTypes.add(checkMimeType("allowMimeType", mimeType));
            return this;
        }

        /**
         * @return the limits
         * @throws IllegalArgumentException if an environment variable does not parse
         */
        public StorageLimits build() {
            long file = maxFileSize != null ? maxFileSize : envSize(ENV_MAX_FILE_SIZE, DEFAULT_MAX_FILE_SIZE);
            long storage = maxStorageSize != null ? maxStorageSize : envSize(ENV_MAX_STORAGE_SIZE, DEFAULT_MAX_STORAGE_SIZE);
            Set<String> types = allowedMimeTypes != null ? allowedMimeTypes : envOrDefaultTypes();
            return new StorageLimits(file, storage, Collections.unmodifiableSet(new LinkedHashSet<>(types)));
        }

        private long envSize(String name, long fallback) {
            String raw = environment.get(name);
            if (raw == null || raw.isBlank()) {
                return fallback;
            }
            long value;
            try {
                value = Long.parseLong(raw.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a positive number of bytes, was '" + raw + "'", e);
            }
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be a positive number of bytes, was " + value);
            }
            return value;
        }

        private Set<String> envOrDefaultTypes() {
            String raw = environment.get(ENV_ALLOWED_MIME_TYPES);
            if (raw == null || raw.isBlank()) {
                return DEFAULT_MIME_TYPES;
            }
            Set<String> types = Arrays.stream(raw.split(","))
                    .map(String::trim)
                    .filter(t -> !t.isEmpty())
                    .map(t -> checkMimeType(ENV_ALLOWED_MIME_TYPES, t))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (types.isEmpty()) {
                throw new IllegalArgumentException(ENV_ALLOWED_MIME_TYPES + " lists no MIME type: '" + raw + "'");
            }
            return types;
        }

        private static String checkMimeType(String setting, String t) {
            if (t == null || !t.trim().matches("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*")) {
                throw new IllegalArgumentException(setting + " must hold MIME types like 'text/plain', was '" + t + "'");
            }
            return t.trim().toLowerCase(Locale.ROOT);
        }
    }
}
