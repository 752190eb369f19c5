package io.attachkit.server;

import io.attachkit.internal.JsonMemoryBudget;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerLimitsTest {
    @Test
    void defaults_jsonBodyIs72MiB_andTheBudgetAQuarterOfTheHeap() {
        ServerLimits d = ServerLimits.defaults();
        assertThat(d.maxJsonBodySize()).isEqualTo(72L << 20);
        assertThat(d.jsonMemoryBudget()).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    }

    @Test
    void defaultJsonBodyLimit_followsASmallerBodyLimit() {
        assertThat(ServerLimits.builder().maxBodySize(4096).build().maxJsonBodySize()).isEqualTo(4096);
    }

    @Test
    void explicitJsonBodyLimitAboveTheBodyLimit_isRefused() {
        assertThatThrownBy(() -> ServerLimits.builder().maxBodySize(4096).maxJsonBodySize(8192).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxJsonBodySize");
        assertThat(ServerLimits.builder().maxBodySize(8192).maxJsonBodySize(4096).build().maxJsonBodySize()).isEqualTo(4096);
    }

    @Test
    void nonsensicalValues_areRefused() {
        assertThatThrownBy(() -> ServerLimits.builder().maxJsonBodySize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerLimits.builder().jsonMemoryBudget(1023)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ServerLimits.builder().jsonMemoryBudget(1024).build().jsonMemoryBudget()).isEqualTo(1024);
    }

    @Test
    void lingeringClose_defaultsTo16MiBAnd10s_zeroBytesIsAllowed_negativeOrZeroTimeIsNot() {
        ServerLimits d = ServerLimits.defaults();
        assertThat(d.maxLingerBytes()).isEqualTo(16L << 20);
        assertThat(d.lingerTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(ServerLimits.builder().maxLingerBytes(0).build().maxLingerBytes()).isZero();
        assertThatThrownBy(() -> ServerLimits.builder().maxLingerBytes(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLingerBytes must not be negative, was -1");
        assertThatThrownBy(() -> ServerLimits.builder().lingerTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lingerTimeout");
    }

    @Test
    void budget_reservesFourTimesTheBody_cappedAtTheWholeBudget_andGivesItBackOnce() throws Exception {
        JsonMemoryBudget budget = new JsonMemoryBudget(1024 * 1024);
        assertThat(budget.kibFor(0)).isEqualTo(1);
        assertThat(budget.kibFor(1000)).isEqualTo(4); // 4000 bytes, rounded up to KiB
        assertThat(budget.kibFor(Long.MAX_VALUE)).isEqualTo(1024);
        JsonMemoryBudget.Reservation big = budget.reserve(200 * 1024, 0);
        assertThat(big.kib()).isEqualTo(800);
        assertThat(budget.reserve(100 * 1024, 0)).as("400 KiB more does not fit in the 224 left").isNull();
        big.close();
        big.close();
        assertThat(budget.availableKib()).isEqualTo(1024);
        try (JsonMemoryBudget.Reservation r = budget.reserve(100 * 1024, 0)) {
            assertThat(r).isNotNull();
        }
    }
}
