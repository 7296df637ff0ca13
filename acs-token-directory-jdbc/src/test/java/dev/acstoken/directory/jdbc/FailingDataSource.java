package dev.acstoken.directory.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that passes through to a real one, except that it fails the next {@code n}
 * statements whose SQL contains a given text, as a database that went away would (SQLState 08006).
 */
final class FailingDataSource implements DataSource {

  private final DataSource delegate;
  private final AtomicInteger failures = new AtomicInteger();
  private volatile String failing = "\u0000";

  FailingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** Fails the next {@code n} statements whose SQL contains {@code sqlFragment}. */
  void failNext(String sqlFragment, int n) {
    failing = sqlFragment;
    failures.set(n);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return wrap(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return wrap(delegate.getConnection(user, password));
  }

  private Connection wrap(Connection real) {
    InvocationHandler h =
        (proxy, method, args) -> {
          if (method.getName().startsWith("prepare")
              && args != null
              && args[0] instanceof String sql
              && sql.contains(failing)
              && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLException("simulated loss of the database", "08006");
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return delegate.isWrapperFor(iface);
  }
}
