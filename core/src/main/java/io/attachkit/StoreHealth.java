package io.attachkit;

import java.util.List;

/**
 * The result of {@link FileStore#checkHealth()}: whether the store can be read and written, and its size.
 *
 * @param healthy {@code true} when every check passed
 * @param backend the backend's name
 * @param storageSize bytes stored, or -1 when it could not be measured
 * @param fileCount files stored, or -1 when they could not be counted
 * @param errors what failed, empty when healthy
 */
public record StoreHealth(boolean healthy, String backend, long storageSize, long fileCount, List<String> errors) {
    /**
     * Copies the error list.
     *
     * @param healthy see the record's description
     * @param backend see the record's description
     * @param storageSize see the record's description
     * @param fileCount see the record's description
     * @param errors see the record's description
     */
    public StoreHealth {
        errors = List.copyOf(errors);
    }
}
