package io.attachkit.examples.threads;

import java.nio.file.Path;

/** The thread store's behaviour on H2, the embedded default of the run command (a file database). */
class H2ThreadStoreTest extends ThreadStoreContract {
    @Override
    protected TestDatabase freshDatabase(Path dir) {
        return new TestDatabase("jdbc:h2:file:" + dir.toAbsolutePath().resolve("threads") + ";LOCK_TIMEOUT=10000", "sa", "");
    }
}
