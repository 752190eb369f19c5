package io.attachkit.storage.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what interrupted saves left behind: temp files of processes that are no longer running (their
 * names carry the writer's pid) or that are older than a day, and sidecars whose file never appeared.
 */
final class TempFileSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(TempFileSweeper.class);
    private static final Duration ABANDONED = Duration.ofDays(1);
    private static final Duration ORPHAN_SIDECAR_AGE = Duration.ofMinutes(1);

    private final Path root;
    private final String tempPrefix;

    TempFileSweeper(Path root, String tempPrefix) {
        this.root = root;
        this.tempPrefix = tempPrefix;
    }

    void sweep() {
        int removed = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root)) {
            for (Path shard : shards) {
                if (shard.getFileName().toString().length() == 2 && Files.isDirectory(shard, LinkOption.NOFOLLOW_LINKS)) {
                    removed += sweepShard(shard);
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not sweep temp files under {}: {}", root, e.toString());
        }
        if (removed > 0) {
            LOG.info("Removed {} leftover temp files from interrupted saves under {}", removed, root);
        }
    }

    private int sweepShard(Path shard) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard, ".*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(tempPrefix) ? isAbandonedTemp(f, name) : isOrphanSidecar(f, name)) {
                    if (Files.deleteIfExists(f)) {
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    private boolean isAbandonedTemp(Path f, String name) throws IOException {
        String rest = name.substring(tempPrefix.length());
        int dash = rest.indexOf('-');
        Optional<ProcessHandle> writer = Optional.empty();
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            writer = pid == ProcessHandle.current().pid() ? Optional.of(ProcessHandle.current()) : ProcessHandle.of(pid);
        } catch (NumberFormatException notOurs) {
            // a temp name without a pid: judge by age only
        }
        boolean writerAlive = writer.map(ProcessHandle::isAlive).orElse(false);
        return !writerAlive || olderThan(f, ABANDONED);
    }

    private boolean isOrphanSidecar(Path f, String name) throws IOException {
        if (!name.endsWith(".json") || name.length() <= ".json".length() + 1) {
            return false;
        }
        Path data = f.resolveSibling(name.substring(1, name.length() - ".json".length()));
        return !Files.exists(data, LinkOption.NOFOLLOW_LINKS) && olderThan(f, ORPHAN_SIDECAR_AGE);
    }

    private static boolean olderThan(Path f, Duration age) throws IOException {
        return Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(Instant.now().minus(age));
    }
}
