package io.attachkit.storage.s3;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one store has learnt about the checksums its endpoint accepts: the mode uploads start with, which only
 * ever gets weaker, and why. One per store (never shared between stores), thread-safe. Each fall-back is logged
 * once at WARN.
 */
final class ChecksumSupport {
    private static final Logger LOG = LoggerFactory.getLogger(ChecksumSupport.class);

    private final ChecksumMode configured;
    private final String where;
    private ChecksumMode current; // guarded by this
    private final List<String> fallBacks = new ArrayList<>(); // guarded by this

    /**
     * @param configured the mode the store was built with
     * @param where the endpoint and bucket, for the log
     */
    ChecksumSupport(ChecksumMode configured, String where) {
        this.configured = configured;
        this.where = where;
        this.current = configured == ChecksumMode.AUTO ? ChecksumMode.FULL_OBJECT : configured;
    }

    /** @return the mode the store was built with */
    ChecksumMode configured() {
        return configured;
    }

    /** @return the mode new uploads start with */
    synchronized ChecksumMode current() {
        return current;
    }

    /** @return whether a refused or unreported checksum may make uploads fall back to a weaker mode */
    boolean adaptive() {
        return configured == ChecksumMode.AUTO;
    }

    /**
     * Records that the endpoint refused (or did not report) what {@code refused} sends; only in {@link ChecksumMode#AUTO}.
     *
     * @param refused the mode of the request the endpoint refused
     * @param to the mode to use instead
     * @param why what the endpoint did, for the log and the health check
     * @return the mode to continue with: {@code to}, or a weaker one another upload already fell back to
     */
    synchronized ChecksumMode fallBack(ChecksumMode refused, ChecksumMode to, String why) {
        if (!adaptive()) {
            throw new IllegalStateException("checksumMode " + configured + " does not fall back");
        }
        if (to.ordinal() > current.ordinal()) {
            String entry = refused + " -> " + to + ": " + why;
            fallBacks.add(entry);
            LOG.warn("The S3 endpoint {} {}; this store now uses checksum mode {} instead of {} for its uploads"
                    + " (checksumMode AUTO; every save is still verified)", where, why, to, refused);
            current = to;
        }
        return current;
    }

    /** @return the mode in effect and, after fall-backs, why, for {@code checkHealth} */
    synchronized String describe() {
        StringBuilder s = new StringBuilder(current.name()).append(" (configured ").append(configured);
        for (String f : fallBacks) {
            s.append("; fell back ").append(f);
        }
        return s.append(')').toString();
    }
}
