package io.attachkit.benchmarks.storage;

import io.attachkit.internal.StoragePaths;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The validation every store call pays before touching a backend: filename checks, the sharded layout,
 * and checking a caller's storage-path hint against its id. Nanoseconds per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class StoragePathsBench {
    private final String filename = "Quarterly report (final) \u00e9t\u00e9 2024.tar.gz";
    private final String fileId = "3f2b8c1e-9a47-4d2e-b6a1-0c9e8f7d6a5b";
    private final String hint = "3f/2b8c1e-9a47-4d2e-b6a1-0c9e8f7d6a5b.tar.gz";

    /** @return the storage path a save computes for a unicode filename */
    @Benchmark
    public String saveSidePath() {
        String name = StoragePaths.requireFilename(filename);
        return StoragePaths.layout(fileId, StoragePaths.extensionOf(name));
    }

    /** @return the validated hint, as open/stat/delete check it */
    @Benchmark
    public String readSideHint() {
        return StoragePaths.checkHint(StoragePaths.requireFileId(fileId), hint);
    }
}
