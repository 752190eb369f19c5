package io.attachkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link FileStore#checkHealth()}: whether the store can be read and written, and its size.
 *
 * @param healthy {@code true} when every check passed
 * @param backend the backend's name
 * @param storageSize bytes stored, or -1 when it could not be measured
 * @param fileCount files stored, or -1 when they could not be counted
 * @param errors what failed, empty when healthy
 * @param details facts about the store's configuration in effect that are not errors (for example which
 *     checksums an S3 store uses against its endpoint), in a stable order; empty when the backend has none
 */
public record StoreHealth(boolean healthy, String backend, long storageSize, long fileCount, List<String> errors,
                          Map<String, String> details) {
    /**
     * Copies the error list and the details.
     *
     * @param healthy see the record's description
     * @param backend see the record's description
     * @param storageSize see the record's description
     * @param fileCount see the record's description
     * @param errors see the record's description
     * @param details see the record's description
     */
    public StoreHealth {
        errors = List.copyOf(errors);
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * A result without details.
     *
     * @param healthy see the record's description
     * @param backend see the record's description
     * @param storageSize see the record's description
     * @param fileCount see the record's description
     * @param errors see the record's description
     */
    public StoreHealth(boolean healthy, String backend, long storageSize, long fileCount, List<String> errors) {
        this(healthy, backend, storageSize, fileCount, errors, Map.of());
    }

    /**
     * @param moreDetails details to add (replacing those with the same keys)
     * @return a copy of this result with the details added
     */
    public StoreHealth withDetails(Map<String, String> moreDetails) {
        Map<String, String> all = new LinkedHashMap<>(details);
        all.putAll(moreDetails);
        return new StoreHealth(healthy, backend, storageSize, fileCount, errors, all);
    }
}
