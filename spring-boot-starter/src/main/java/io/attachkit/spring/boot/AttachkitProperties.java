package io.attachkit.spring.boot;

import io.attachkit.StorageLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * attachkit's settings in {@code application.yml}, under {@code attachkit}:
 *
 * <pre>{@code
 * attachkit:
 *   store: file:/var/lib/attachkit          # or s3://bucket/prefix?region=eu-west-1, or a plugin's URI
 *   storage:
 *     max-file-size: 50MB
 *     allowed-mime-types: [application/pdf, image/png, text/plain]
 *   processing:
 *     timeout: 60s
 *   web:
 *     enabled: true
 *     path-prefix: /api
 * }</pre>
 *
 * <p>Unset values keep attachkit's own defaults ({@link StorageLimits#defaults()},
 * {@link io.attachkit.ProcessingLimits#defaults()}).
 */
@ConfigurationProperties("attachkit")
public class AttachkitProperties {
    /**
     * Where files are stored: a store URI as FileStores.open takes it (file:relative/dir, file:///absolute/dir,
     * s3://bucket/prefix?region=..., or a plugin's scheme). Defaults to the directory attachkit-data under the
     * working directory.
     */
    private String store = "file:attachkit-data";

    private final Storage storage = new Storage();
    private final Processing processing = new Processing();
    private final Web web = new Web();

    /** @return the store URI */
    public String getStore() {
        return store;
    }

    /** @param store the store URI */
    public void setStore(String store) {
        this.store = store;
    }

    /** @return the storage limits */
    public Storage getStorage() {
        return storage;
    }

    /** @return the processing settings */
    public Processing getProcessing() {
        return processing;
    }

    /** @return the web endpoint settings */
    public Web getWeb() {
        return web;
    }

    /** What the store accepts ({@link StorageLimits}). */
    public static class Storage {
        /** Largest file accepted; larger files fail with FileTooLargeException (default 50MB). */
        private DataSize maxFileSize;
        /** Largest total size of the store; past it saves fail with StorageFullException (default 5GB). */
        private DataSize maxStorageSize;
        /**
         * Media types accepted, detected from the bytes; empty keeps attachkit's default list (documents, images,
         * text, audio, video).
         */
        private List<String> allowedMimeTypes = new ArrayList<>();

        /** @return the largest file accepted, or {@code null} for the default */
        public DataSize getMaxFileSize() {
            return maxFileSize;
        }

        /** @param maxFileSize the largest file accepted */
        public void setMaxFileSize(DataSize maxFileSize) {
            this.maxFileSize = maxFileSize;
        }

        /** @return the largest total size, or {@code null} for the default */
        public DataSize getMaxStorageSize() {
            return maxStorageSize;
        }

        /** @param maxStorageSize the largest total size */
        public void setMaxStorageSize(DataSize maxStorageSize) {
            this.maxStorageSize = maxStorageSize;
        }

        /** @return the media types accepted; empty for the default list */
        public List<String> getAllowedMimeTypes() {
            return allowedMimeTypes;
        }

        /** @param allowedMimeTypes the media types accepted */
        public void setAllowedMimeTypes(List<String> allowedMimeTypes) {
            this.allowedMimeTypes = allowedMimeTypes;
        }
    }

    /** How stored files are processed ({@link io.attachkit.ProcessingLimits} and the worker pool). */
    public static class Processing {
        /** Most pages of a document processed (default 500). */
        private Integer maxPages;
        /** Most pixels of an image decoded (default 100 million). */
        private Long maxImagePixels;
        /** Most characters of extracted text kept (default 1,000,000). */
        private Integer maxOutputChars;
        /** Longest one processor may run on one file (default 120s). */
        private Duration timeout;
        /** Background processing threads (default: the number of processors). */
        private Integer workers;
        /** Most background jobs waiting for a worker; past it uploads are refused with 503 (default 10000). */
        private Integer maxQueuedJobs;

        /** @return the page limit, or {@code null} for the default */
        public Integer getMaxPages() {
            return maxPages;
        }

        /** @param maxPages the page limit */
        public void setMaxPages(Integer maxPages) {
            this.maxPages = maxPages;
        }

        /** @return the pixel limit, or {@code null} for the default */
        public Long getMaxImagePixels() {
            return maxImagePixels;
        }

        /** @param maxImagePixels the pixel limit */
        public void setMaxImagePixels(Long maxImagePixels) {
            this.maxImagePixels = maxImagePixels;
        }

        /** @return the text limit, or {@code null} for the default */
        public Integer getMaxOutputChars() {
            return maxOutputChars;
        }

        /** @param maxOutputChars the text limit */
        public void setMaxOutputChars(Integer maxOutputChars) {
            this.maxOutputChars = maxOutputChars;
        }

        /** @return the time limit, or {@code null} for the default */
        public Duration getTimeout() {
            return timeout;
        }

        /** @param timeout the time limit */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /** @return the worker count, or {@code null} for the default */
        public Integer getWorkers() {
            return workers;
        }

        /** @param workers the worker count */
        public void setWorkers(Integer workers) {
            this.workers = workers;
        }

        /** @return the queue bound, or {@code null} for the default */
        public Integer getMaxQueuedJobs() {
            return maxQueuedJobs;
        }

        /** @param maxQueuedJobs the queue bound */
        public void setMaxQueuedJobs(Integer maxQueuedJobs) {
            this.maxQueuedJobs = maxQueuedJobs;
        }
    }

    /** The optional endpoints in the application's Spring MVC. */
    public static class Web {
        /** Whether to serve GET/HEAD {path-prefix}/files/** and POST {path-prefix}/attachments. */
        private boolean enabled;
        /** Prefix of the endpoint paths, for example /api (default none: /files/** and /attachments). */
        private String pathPrefix = "";
        /** Largest multipart/form-data request body accepted; larger ones are answered 413 (default 100MB). */
        private DataSize maxBodySize = DataSize.ofMegabytes(100);
        /** Largest JSON (base64) request body accepted; it is read whole, larger ones are answered 413 (default 72MB). */
        private DataSize maxJsonBodySize = DataSize.ofMegabytes(72);
        /**
         * Heap that JSON request bodies in flight may claim together (each claims four times its size while it is
         * read whole); a JSON request that cannot get its share within 2s is answered 503 with Retry-After
         * (default a quarter of the maximum heap).
         */
        private DataSize jsonMemoryBudget;
        /** Most attachments in one request (default 100). */
        private int maxParts = 100;
        /** Longest an upload's ?wait=SECONDS may wait for processing before the answer (default 60s). */
        private Duration maxWait = Duration.ofSeconds(60);

        /** @return whether the endpoints are on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the endpoints are on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the path prefix, empty for none */
        public String getPathPrefix() {
            return pathPrefix;
        }

        /**
         * @param pathPrefix the path prefix: empty, or a path that starts with {@code /} and does not end with one
         * @throws IllegalArgumentException for any other value
         */
        public void setPathPrefix(String pathPrefix) {
            String p = pathPrefix == null ? "" : pathPrefix.trim();
            if (!p.isEmpty() && (!p.startsWith("/") || p.endsWith("/") || p.contains("*") || p.contains("{"))) {
                throw new IllegalArgumentException("attachkit.web.path-prefix must be empty or a path like /api"
                        + " (leading slash, no trailing slash, no patterns), was '" + pathPrefix + "'");
            }
            this.pathPrefix = p;
        }

        /** @return the multipart body limit */
        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        /** @param maxBodySize the multipart body limit */
        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        /** @return the JSON body limit */
        public DataSize getMaxJsonBodySize() {
            return maxJsonBodySize;
        }

        /** @param maxJsonBodySize the JSON body limit */
        public void setMaxJsonBodySize(DataSize maxJsonBodySize) {
            this.maxJsonBodySize = maxJsonBodySize;
        }

        /** @return the JSON memory budget, or {@code null} for a quarter of the maximum heap */
        public DataSize getJsonMemoryBudget() {
            return jsonMemoryBudget;
        }

        /** @param jsonMemoryBudget the JSON memory budget */
        public void setJsonMemoryBudget(DataSize jsonMemoryBudget) {
            this.jsonMemoryBudget = jsonMemoryBudget;
        }

        /** @return the per-request attachment limit */
        public int getMaxParts() {
            return maxParts;
        }

        /** @param maxParts the per-request attachment limit */
        public void setMaxParts(int maxParts) {
            this.maxParts = maxParts;
        }

        /** @return the longest wait for processing */
        public Duration getMaxWait() {
            return maxWait;
        }

        /** @param maxWait the longest wait for processing */
        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }
    }
}
