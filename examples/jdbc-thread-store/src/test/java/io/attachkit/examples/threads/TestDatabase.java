package io.attachkit.examples.threads;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A database a test writes to: its JDBC URL and credentials (which a child JVM uses to reach the same database), and
 * a data source over them.
 *
 * @param url the JDBC URL ({@code jdbc:h2:...} or {@code jdbc:postgresql:...})
 * @param user the user
 * @param password the password
 */
record TestDatabase(String url, String user, String password) {
    /** @return a data source that opens a new connection per call (no pool: each test sees every connection it uses) */
    DataSource dataSource() {
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setUrl(url);
            pg.setUser(user);
            pg.setPassword(password);
            return pg;
        }
        throw new IllegalArgumentException("no data source for " + url);
    }

    /** @return the arguments that {@link #fromArgs} reads back */
    String[] args() {
        return new String[] {url, user, password};
    }

    static TestDatabase fromArgs(String[] args, int from) {
        return new TestDatabase(args[from], args[from + 1], args[from + 2]);
    }
}
