package io.attachkit.serving;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks expiring {@code /files} URLs: an HMAC-SHA256 over the URL path, the expiry and the disposition,
 * so that a page can link a stored file for a while without handing out an API key. The path is signed exactly as it
 * is sent (still percent-encoded, e.g. {@code processed_content.url}); a signature is valid for that path only, until
 * its expiry plus a bounded clock skew, and only under one of this signer's keys.
 *
 * <pre>{@code
 * FileUrlSigner signer = FileUrlSigner.builder().key(secret32Bytes).lifetime(Duration.ofMinutes(15)).build();
 * String link = signer.sign(attachment.processedContent().url());
 * // "/files/ab/cdef.pdf?expires=1764630000&disposition=inline&signature=Qm9i..."
 *
 * // where the link is served:
 * FileUrlSigner.Check check = signer.verify(request.getPath(), request::getQueryParameter);
 * if (check != FileUrlSigner.Check.VALID) { answer 403 }
 * }</pre>
 *
 * <p>Keys are rotated by building a new signer: {@link Builder#key} signs, {@link Builder#acceptAlso} keys are still
 * accepted (for the lifetime of the links already out), and a signature made with any other key is refused.
 * Signatures are compared in constant time. Immutable and thread-safe.
 */
public final class FileUrlSigner {
    /** The query parameter holding the expiry, in seconds since the epoch. */
    public static final String EXPIRES = "expires";
    /** The query parameter holding the {@link Disposition}, lower case. */
    public static final String DISPOSITION = "disposition";
    /** The query parameter holding the signature (URL-safe base64 without padding). */
    public static final String SIGNATURE = "signature";
    /** The shortest signing key accepted, in bytes (the HMAC-SHA256 block of security). */
    public static final int MIN_KEY_BYTES = 32;

    private static final String HMAC = "HmacSHA256";

    /** How the signed link lets the file be shown. */
    public enum Disposition {
        /** As the serving rules decide: safe types inline, active ones (HTML, SVG, ...) still as downloads. */
        INLINE,
        /** Always as a download ({@code Content-Disposition: attachment}). */
        ATTACHMENT;

        /** @return the value in the URL */
        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Disposition parse(String token) {
            for (Disposition d : values()) {
                if (d.token().equals(token)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** The result of {@link #verify}. */
    public enum Check {
        /** The URL carries no signature parameters at all. */
        ABSENT,
        /** The signature is right for this path and not expired (within the clock skew). */
        VALID,
        /** The signature is right but its expiry has passed by more than the clock skew. */
        EXPIRED,
        /** Malformed, tampered with, made for another path or disposition, or made with a key not accepted. */
        INVALID;

        /** @return whether the URL may be served */
        public boolean valid() {
            return this == VALID;
        }
    }

    private final List<SecretKeySpec> keys; // the first signs
    private final Duration lifetime;
    private final Duration clockSkew;
    private final Clock clock;

    private FileUrlSigner(Builder b) {
        this.keys = List.copyOf(b.keys);
        this.lifetime = b.lifetime;
        this.clockSkew = b.clockSkew;
        this.clock = b.clock;
    }

    /** @return a builder; a {@link Builder#key key} is required */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how long a URL from {@link #sign(String)} stays valid */
    public Duration lifetime() {
        return lifetime;
    }

    /** @return how long past its expiry a signature is still accepted, for clocks that differ */
    public Duration clockSkew() {
        return clockSkew;
    }

    /**
     * Signs a path for the default {@link #lifetime()}, {@link Disposition#INLINE}.
     *
     * @param urlPath the path as it will be requested, e.g. {@code /files/ab/cdef.pdf} (no query)
     * @return the path with {@code expires}, {@code disposition} and {@code signature} query parameters
     * @throws IllegalArgumentException if the path does not start with {@code /} or has a query or fragment
     */
    public String sign(String urlPath) {
        return sign(urlPath, lifetime, Disposition.INLINE);
    }

    /**
     * Signs a path.
     *
     * @param urlPath the path as it will be requested, e.g. {@code /files/ab/cdef.pdf} (no query)
     * @param validFor how long from now the URL stays valid, positive
     * @param disposition how the file may be shown
     * @return the path with {@code expires}, {@code disposition} and {@code signature} query parameters
     * @throws IllegalArgumentException if the path does not start with {@code /} or has a query or fragment, or
     *     {@code validFor} is not positive
     */
    public String sign(String urlPath, Duration validFor, Disposition disposition) {
        Objects.requireNonNull(urlPath, "urlPath");
        Objects.requireNonNull(disposition, "disposition");
        if (!urlPath.startsWith("/") || urlPath.indexOf('?') >= 0 || urlPath.indexOf('#') >= 0) {
            throw new IllegalArgumentException("urlPath must be a path starting with / and without query or fragment, was \""
                    + urlPath + "\"");
        }
        if (validFor == null || validFor.isNegative() || validFor.isZero()) {
            throw new IllegalArgumentException("validFor must be positive, was " + validFor);
        }
        long expires = Math.addExact(clock.instant().getEpochSecond(), Math.max(1, validFor.toSeconds()));
        String signature = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac(keys.get(0), urlPath, expires, disposition));
        return urlPath + "?" + EXPIRES + "=" + expires + "&" + DISPOSITION + "=" + disposition.token() + "&" + SIGNATURE
                + "=" + signature;
    }

    /**
     * Checks a request's signature.
     *
     * @param urlPath the requested path, exactly as received (still percent-encoded), without the query
     * @param queryParameter the request's query parameters by name ({@code null} when absent)
     * @return {@link Check#ABSENT} when the request carries none of the parameters, else whether it is valid
     */
    public Check verify(String urlPath, Function<String, String> queryParameter) {
        String expiresValue = queryParameter.apply(EXPIRES);
        String dispositionValue = queryParameter.apply(DISPOSITION);
        String signatureValue = queryParameter.apply(SIGNATURE);
        if (expiresValue == null && dispositionValue == null && signatureValue == null) {
            return Check.ABSENT;
        }
        Disposition disposition = dispositionOf(dispositionValue);
        if (urlPath == null || expiresValue == null || signatureValue == null || disposition == null
                || expiresValue.length() > 19 || !expiresValue.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Check.INVALID;
        }
        // compared as the exact text sign() writes: decoding first would accept other spellings of the same bytes
        // (the unused low bits of the last base64 character), so a changed URL could still pass
        byte[] given = signatureValue.getBytes(StandardCharsets.US_ASCII);
        long expires;
        try {
            expires = Long.parseLong(expiresValue);
        } catch (NumberFormatException e) {
            return Check.INVALID;
        }
        boolean match = false;
        for (SecretKeySpec key : keys) {
            // every key is tried, so the time taken does not tell which one matched
            byte[] expected = Base64.getUrlEncoder().withoutPadding().encode(mac(key, urlPath, expires, disposition));
            match |= MessageDigest.isEqual(expected, given);
        }
        if (!match) {
            return Check.INVALID;
        }
        long now = clock.instant().getEpochSecond();
        return now > expires && now - expires > clockSkew.toSeconds() ? Check.EXPIRED : Check.VALID;
    }

    /**
     * @param value a {@code disposition} query parameter; {@code null} means {@link Disposition#INLINE}
     * @return the disposition, or {@code null} if the value is not one
     */
    public static Disposition dispositionOf(String value) {
        return value == null ? Disposition.INLINE : Disposition.parse(value);
    }

    private static byte[] mac(SecretKeySpec key, String urlPath, long expires, Disposition disposition) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            // newline-separated: a path cannot hold a raw newline, so no two inputs give the same signed text
            return mac.doFinal((urlPath + "\n" + expires + "\n" + disposition.token()).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "FileUrlSigner[keys=" + keys.size() + ", lifetime=" + lifetime + ", clockSkew=" + clockSkew + "]";
    }

    /** Builds a {@link FileUrlSigner}. Setters check their argument at once. */
    public static final class Builder {
        private final List<SecretKeySpec> keys = new ArrayList<>();
        private SecretKeySpec signingKey;
        private final List<SecretKeySpec> accepted = new ArrayList<>();
        private Duration lifetime = Duration.ofHours(1);
        private Duration clockSkew = Duration.ofSeconds(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * @param key the secret that signs (and verifies), at least {@value #MIN_KEY_BYTES} bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if the key is shorter
         */
        public Builder key(byte[] key) {
            this.signingKey = spec(key, "key");
            return this;
        }

        /**
         * @param key a previous secret whose signatures are still accepted (never used to sign), at least
         *     {@value #MIN_KEY_BYTES} bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if the key is shorter
         */
        public Builder acceptAlso(byte[] key) {
            accepted.add(spec(key, "acceptAlso"));
            return this;
        }

        /**
         * @param lifetime how long URLs from {@link FileUrlSigner#sign(String)} stay valid, positive (default 1 hour)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder lifetime(Duration lifetime) {
            if (lifetime == null || lifetime.isNegative() || lifetime.toSeconds() < 1) {
                throw new IllegalArgumentException("lifetime must be at least one second, was " + lifetime);
            }
            this.lifetime = lifetime;
            return this;
        }

        /**
         * @param clockSkew how long past its expiry a signature is still accepted, from zero to 10 minutes
         *     (default 30 seconds)
         * @return this builder
         * @throws IllegalArgumentException if negative or longer than 10 minutes
         */
        public Builder clockSkew(Duration clockSkew) {
            if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and 10 minutes, was " + clockSkew);
            }
            this.clockSkew = clockSkew;
            return this;
        }

        /**
         * @param clock the clock expiries are computed and checked with (default the system's UTC clock)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @return the signer
         * @throws IllegalStateException if no {@link #key} was set
         */
        public FileUrlSigner build() {
            if (signingKey == null) {
                throw new IllegalStateException("a signing key is required: FileUrlSigner.builder().key(secret) with at least "
                        + MIN_KEY_BYTES + " random bytes");
            }
            keys.clear();
            keys.add(signingKey);
            keys.addAll(accepted);
            return new FileUrlSigner(this);
        }

        private static SecretKeySpec spec(byte[] key, String setting) {
            Objects.requireNonNull(key, setting);
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException(setting + " must be at least " + MIN_KEY_BYTES + " bytes, was " + key.length);
            }
            return new SecretKeySpec(key.clone(), HMAC);
        }
    }
}
