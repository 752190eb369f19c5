package io.attachkit;

import java.util.List;

/**
 * The result of {@link Attachments#sweepOrphans}: the stored files that no message references.
 *
 * @param orphans ids of the unreferenced files (deleted, unless this was a dry run)
 * @param bytes their total size
 * @param dryRun whether they were only listed, not deleted
 */
public record OrphanSweep(List<String> orphans, long bytes, boolean dryRun) {
    /**
     * Copies the id list.
     *
     * @param orphans see the record's description
     * @param bytes see the record's description
     * @param dryRun see the record's description
     */
    public OrphanSweep {
        orphans = List.copyOf(orphans);
    }
}
