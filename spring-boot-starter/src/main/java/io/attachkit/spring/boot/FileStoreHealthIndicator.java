package io.attachkit.spring.boot;

import io.attachkit.FileStore;
import io.attachkit.StoreHealth;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The store's {@link FileStore#checkHealth()} as an Actuator health indicator: UP when every check passed, else
 * DOWN, with the backend, size, file count, errors and the backend's details (the S3 checksum mode in effect, for
 * one).
 */
public class FileStoreHealthIndicator extends AbstractHealthIndicator {
    private final FileStore store;

    /** @param store the store to check */
    public FileStoreHealthIndicator(FileStore store) {
        super("The attachkit store's health check failed");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        StoreHealth h = store.checkHealth();
        (h.healthy() ? builder.up() : builder.down())
                .withDetail("backend", h.backend())
                .withDetail("storageSize", h.storageSize())
                .withDetail("fileCount", h.fileCount());
        if (!h.errors().isEmpty()) {
            builder.withDetail("errors", h.errors());
        }
        if (!h.details().isEmpty()) {
            builder.withDetail("details", h.details());
        }
    }
}
