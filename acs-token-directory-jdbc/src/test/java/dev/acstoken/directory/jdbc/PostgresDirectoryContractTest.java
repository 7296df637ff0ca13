package dev.acstoken.directory.jdbc;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.testkit.contract.IdentityDirectoryContract;

/** The directory contract on a real PostgreSQL server. */
class PostgresDirectoryContractTest extends IdentityDirectoryContract {

  @Override
  protected IdentityDirectory directory(IdentityOperations operations) {
    return JdbcIdentityDirectory.builder()
        .dataSource(Databases.POSTGRESQL.unpooled())
        .identityOperations(operations)
        .tableName(Databases.freshTable())
        .build();
  }
}
