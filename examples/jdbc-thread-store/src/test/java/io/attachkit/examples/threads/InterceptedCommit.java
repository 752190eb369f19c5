package io.attachkit.examples.threads;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * A data source whose connections run a hook instead of {@code commit()}: the tests use it to stop a JVM inside the
 * commit, or to commit and then lose the answer, the way a dropped connection does.
 */
final class InterceptedCommit {
    /** Runs in place of {@code commit()}, with the real connection. */
    @FunctionalInterface
    interface Hook {
        void commit(Connection real) throws Exception;
    }

    private InterceptedCommit() {
    }

    static DataSource wrap(DataSource real, Hook hook) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(method, real, args);
                    return method.getName().equals("getConnection") ? connection((Connection) result, hook) : result;
                });
    }

    private static Connection connection(Connection real, Hook hook) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        hook.commit(real);
                        return null;
                    }
                    return invoke(method, real, args);
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
