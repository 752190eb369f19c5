package io.attachkit.storage.s3;

import io.attachkit.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Turns AWS SDK exceptions into attachkit's tree, keeping the SDK exception as the cause. */
final class S3Errors {
    private S3Errors() {
    }

    /**
     * @param e an SDK exception
     * @return whether it says the object (or the key) does not exist
     */
    static boolean isNotFound(SdkException e) {
        if (e instanceof NoSuchKeyException) {
            return true;
        }
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            // HEAD responses have no body, so a missing object is only a bare 404
            return s3.statusCode() == 404 && (code == null || "NoSuchKey".equals(code) || "NotFound".equals(code));
        }
        return false;
    }

    /**
     * @param e an SDK exception
     * @return whether trying again later may succeed: throttling, 5xx, timeouts and network failures
     */
    static boolean isRetryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            return service.isThrottlingException() || status == 429 || status >= 500 || e.retryable();
        }
        if (e instanceof SdkClientException) {
            return e.retryable() || hasIoCause(e);
        }
        return e.retryable();
    }

    /**
     * @param e an SDK exception
     * @return whether the server refused a checksum header it does not support (HTTP 400 or 501 that names a
     *     checksum, or 501 NotImplemented); {@code BadDigest} and {@code XAmzContentSHA256Mismatch} say the bytes
     *     did not match and are not refusals. Some servers word a refusal and a mismatch alike, which is why every
     *     fall-back ends in a verification of what the server holds.
     */
    static boolean isChecksumRefusal(SdkException e) {
        if (!(e instanceof AwsServiceException service) || service.awsErrorDetails() == null) {
            return false;
        }
        int status = service.statusCode();
        if (status != 400 && status != 501) {
            return false;
        }
        String code = service.awsErrorDetails().errorCode() == null ? "" : service.awsErrorDetails().errorCode();
        if (code.equals("BadDigest") || code.equals("XAmzContentSHA256Mismatch")) {
            return false;
        }
        String text = (code + " " + service.awsErrorDetails().errorMessage()).toLowerCase(java.util.Locale.ROOT);
        return text.contains("checksum") || code.equals("NotImplemented");
    }

    /**
     * @param e an SDK exception
     * @return its HTTP status, error code and message in one short line
     */
    static String summary(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return "HTTP " + service.statusCode() + " " + service.awsErrorDetails().errorCode()
                    + " (" + service.awsErrorDetails().errorMessage() + ")";
        }
        return e.getMessage();
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param action what was attempted, e.g. {@code "Uploading part 3 of key 'a/b.pdf'"}
     * @param bucket the bucket
     * @param e the SDK exception
     * @return a {@link StorageException} that says what failed, why, and whether a retry may help
     */
    static StorageException wrap(String action, String bucket, SdkException e) {
        StringBuilder msg = new StringBuilder(action).append(" in S3 bucket '").append(bucket).append("' failed: ");
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            msg.append("HTTP ").append(service.statusCode());
            String code = service.awsErrorDetails().errorCode();
            if (code != null) {
                msg.append(' ').append(code);
            }
            String text = service.awsErrorDetails().errorMessage();
            if (text != null && !text.isBlank()) {
                msg.append(" (").append(text).append(')');
            }
            if (service.requestId() != null) {
                msg.append(", request id ").append(service.requestId());
            }
            if (service.statusCode() == 403) {
                msg.append("; check the credentials and the bucket policy");
            } else if ("NoSuchBucket".equals(code)) {
                msg.append("; create the bucket or fix the store's bucket name");
            }
        } else {
            msg.append(e.getMessage());
        }
        return new StorageException(msg.toString(), e, isRetryable(e));
    }
}
