/**
 * acs-token identity directory on JDBC: {@link dev.acstoken.directory.jdbc.JdbcIdentityDirectory}
 * maps application users to ACS identities in a table of any JDBC database (PostgreSQL in
 * production, H2 embedded).
 */
module dev.acstoken.directory.jdbc {
  requires transitive dev.acstoken.core;
  requires transitive java.sql;
  requires transitive org.jspecify;
  requires org.slf4j;

  exports dev.acstoken.directory.jdbc;
}
