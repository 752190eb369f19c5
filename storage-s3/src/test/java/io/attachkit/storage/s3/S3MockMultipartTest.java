package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.attachkit.StoredFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Multipart uploads against Adobe S3Mock, which refuses a FULL_OBJECT CRC32C on CompleteMultipartUpload with the
 * {@code 400 BadRequest (Value for x-amz-checksum-crc32c header is invalid.)} of the issue, and keeps composite ones.
 */
class S3MockMultipartTest extends S3ServerMultipartTest {
    @Override
    S3TestServer server() throws Exception {
        return S3MockServer.shared();
    }

    @Override
    ChecksumMode autoSettlesOn() {
        return ChecksumMode.COMPOSITE;
    }

    @Override
    boolean accepts(ChecksumMode mode) {
        return mode != ChecksumMode.FULL_OBJECT;
    }

    @Test
    void auto_afterTheFallBack_theObjectCarriesTheCompositeChecksumOfItsParts() throws Exception {
        long size = 12 * MIB;
        try (S3FileStore store = smallParts().build()) {
            StoredFile f = store.save(new TestContent(size, 9), "composite.txt", null);
            HeadObjectResponse head = server().client().headObject(b -> b.bucket(bucket).key("mp/" + f.storagePath())
                    .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED));
            assertThat(head.checksumCRC32C()).as("S3Mock's composite CRC32C over 3 parts").endsWith("-3");
            assertThat(head.contentLength()).isEqualTo(size);
        }
    }
}
