package io.attachkit.storage.s3;

import io.attachkit.FileStore;
import io.attachkit.FileStoreProvider;
import io.attachkit.StorageLimits;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * Opens {@link S3FileStore}s from URIs of the form
 * {@code s3://bucket/key/prefix?region=eu-west-1&endpoint=http://localhost:9000&path_style=true}.
 *
 * <p>Parameters (all optional): {@code region}, {@code endpoint}, {@code path_style}, {@code profile} (a
 * named profile from {@code ~/.aws}; otherwise the SDK's default credential chain), {@code storage_class},
 * {@code sse}, {@code kms_key_id}, {@code part_size} (bytes, or with a {@code MiB}/{@code GiB} suffix),
 * {@code max_concurrency}, {@code checksum_mode} ({@code auto} (default), {@code full_object}, {@code composite},
 * {@code none_verify_by_read}: see {@link ChecksumMode}), {@code checksums} ({@code false} is
 * {@code checksum_mode=none_verify_by_read}), {@code chunked_encoding},
 * {@code request_checksum_calculation} and {@code response_checksum_validation} ({@code when_supported} /
 * {@code when_required}), {@code verify_reads}, {@code max_attempts}, {@code presign_expiry} (seconds or an
 * ISO-8601 duration such as {@code PT1H}), {@code sha256_in_object_metadata} ({@code true} rewrites each multipart
 * object after upload so its own metadata carries the SHA-256). Credentials never go in the URI. An unknown
 * parameter is an error that lists the known ones.
 */
public final class S3FileStoreProvider implements FileStoreProvider {
    private static final Set<String> PARAMETERS = new TreeSet<>(Set.of("region", "endpoint", "path_style", "profile",
            "storage_class", "sse", "kms_key_id", "part_size", "max_concurrency", "checksums", "checksum_mode", "chunked_encoding",
            "request_checksum_calculation", "response_checksum_validation", "verify_reads", "max_attempts",
            "presign_expiry", "sha256_in_object_metadata"));

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public S3FileStoreProvider() {
    }

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public FileStore open(URI uri, StorageLimits limits) {
        return builderFor(uri).limits(limits).build();
    }

    /**
     * @param uri an {@code s3://} URI
     * @return a builder configured from it
     * @throws IllegalArgumentException if the URI is not a valid S3 store URI
     */
    static S3FileStore.Builder builderFor(URI uri) {
        if (!"s3".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("Not an s3:// URI: " + uri);
        }
        String bucket = uri.getRawAuthority();
        if (bucket == null || bucket.isEmpty()) {
            throw new IllegalArgumentException("S3 store URI '" + uri + "' names no bucket; use s3://bucket/prefix?region=...");
        }
        if (bucket.contains("@")) {
            throw new IllegalArgumentException("S3 store URI '" + redact(uri) + "' must not carry credentials:"
                    + " use the SDK's default chain (environment, ~/.aws) or profile=");
        }
        S3FileStore.Builder b = S3FileStore.builder().bucket(bucket);
        String path = uri.getPath();
        if (path != null && !path.isEmpty()) {
            b.keyPrefix(path);
        }
        Map<String, String> params = parseQuery(uri);
        for (Map.Entry<String, String> e : params.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            try {
                apply(b, name, value);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("S3 store URI parameter " + name + "=" + value + ": " + bad.getMessage(), bad);
            }
        }
        return b;
    }

    private static void apply(S3FileStore.Builder b, String name, String value) {
        switch (name) {
            case "region" -> b.region(value);
            case "endpoint" -> b.endpointOverride(URI.create(value));
            case "path_style" -> b.pathStyleAccess(bool(value));
            case "profile" -> b.credentialsProvider(ProfileCredentialsProvider.builder().profileName(value).build());
            case "storage_class" -> b.storageClass(value);
            case "sse" -> b.serverSideEncryption(value);
            case "kms_key_id" -> b.kmsKeyId(value);
            case "part_size" -> b.partSize(bytes(value));
            case "max_concurrency" -> b.maxConcurrency(integer(value));
            case "checksums" -> b.objectChecksums(bool(value));
            case "checksum_mode" -> b.checksumMode(checksumMode(value));
            case "chunked_encoding" -> b.chunkedEncoding(bool(value));
            case "request_checksum_calculation" -> b.requestChecksumCalculation(
                    RequestChecksumCalculation.valueOf(value.toUpperCase(Locale.ROOT)));
            case "response_checksum_validation" -> b.responseChecksumValidation(
                    ResponseChecksumValidation.valueOf(value.toUpperCase(Locale.ROOT)));
            case "verify_reads" -> b.verifyReads(bool(value));
            case "max_attempts" -> b.maxAttempts(integer(value));
            case "presign_expiry" -> b.presignedUrlExpiry(duration(value));
            case "sha256_in_object_metadata" -> b.sha256InObjectMetadata(bool(value));
            default -> throw new IllegalArgumentException("unknown parameter; known are " + PARAMETERS);
        }
    }

    private static Map<String, String> parseQuery(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("access_key") || name.equals("secret_key") || name.equals("aws_secret_access_key")) {
                throw new IllegalArgumentException("S3 store URIs must not carry credentials (" + name + "):"
                        + " use the SDK's default chain (environment, ~/.aws) or profile=");
            }
            if (params.put(name, value) != null) {
                throw new IllegalArgumentException("S3 store URI parameter '" + name + "' is given twice");
            }
        }
        return params;
    }

    private static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    private static ChecksumMode checksumMode(String value) {
        try {
            return ChecksumMode.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected one of auto, full_object, composite, none_verify_by_read", e);
        }
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number", e);
        }
    }

    private static long bytes(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("gib") || v.endsWith("gb")) {
            unit = 1024L * 1024 * 1024;
            v = v.substring(0, v.length() - (v.endsWith("gib") ? 3 : 2));
        } else if (v.endsWith("mib") || v.endsWith("mb")) {
            unit = 1024L * 1024;
            v = v.substring(0, v.length() - (v.endsWith("mib") ? 3 : 2));
        }
        try {
            return Math.multiplyExact(Long.parseLong(v.trim()), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected bytes such as 8388608 or 8MiB", e);
        }
    }

    private static Duration duration(String value) {
        String v = value.trim();
        try {
            return v.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v)) : Duration.parse(v);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("expected seconds or an ISO-8601 duration such as PT15M", e);
        }
    }

    private static String redact(URI uri) {
        return "s3://***@" + uri.getHost() + (uri.getPath() == null ? "" : uri.getPath());
    }
}
