package dev.acstoken.directory.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The databases the tests run on: embedded H2 and the test JVM's real PostgreSQL. */
enum Databases {
  H2 {
    @Override
    String jdbcUrl() {
      // one in-memory database per test JVM, kept while any connection is open or, with
      // DB_CLOSE_DELAY=-1, until the JVM exits
      return "jdbc:h2:mem:acs_directory_tests;DB_CLOSE_DELAY=-1";
    }

    @Override
    DataSource unpooled() {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL(jdbcUrl());
      return ds;
    }
  },
  POSTGRESQL {
    @Override
    String jdbcUrl() {
      return PostgresServer.shared().jdbcUrl();
    }

    @Override
    DataSource unpooled() {
      org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
      ds.setURL(jdbcUrl());
      return ds;
    }
  };

  private static final AtomicInteger TABLES = new AtomicInteger();

  abstract String jdbcUrl();

  /** {@return a data source that opens a new connection per call} */
  abstract DataSource unpooled();

  /** {@return a new connection pool of its own, as one service instance would have} */
  HikariDataSource pool(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setPoolName("directory-test-" + name().toLowerCase(java.util.Locale.ROOT));
    return new HikariDataSource(config);
  }

  /** {@return a table name no other test uses, so that tests on one database never meet} */
  static String freshTable() {
    return "dir_" + ProcessHandle.current().pid() + "_" + TABLES.incrementAndGet();
  }
}
