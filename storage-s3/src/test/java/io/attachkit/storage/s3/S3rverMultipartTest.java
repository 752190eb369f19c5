package io.attachkit.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attachkit.StorageException;
import org.junit.jupiter.api.Test;

/**
 * Multipart uploads against s3rver, which accepts every checksum header but checks and reports none: AUTO verifies
 * each save by reading it back; with aws-chunked uploads on it stores the framing, and the save fails.
 */
class S3rverMultipartTest extends S3ServerMultipartTest {
    @Override
    S3TestServer server() throws Exception {
        return S3rverServer.shared();
    }

    @Override
    ChecksumMode autoSettlesOn() {
        return ChecksumMode.NONE_VERIFY_BY_READ;
    }

    @Override
    boolean accepts(ChecksumMode mode) {
        return true;
    }

    @Test
    void chunkedEncodingOn_theServerStoresTheFraming_andTheSaveFailsWithNothingLeft() throws Exception {
        try (S3FileStore store = smallParts().chunkedEncoding(true).build()) {
            assertThatThrownBy(() -> store.save(new TestContent(1000, 5), "framed.txt", null))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("bytes but 1000 were sent")
                    .hasMessageContaining("chunkedEncoding(false)");
            assertNothingLeft();
        }
    }
}
