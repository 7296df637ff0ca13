package dev.acstoken.directory.jdbc;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.testkit.contract.IdentityDirectoryContract;

/** The directory contract on embedded H2. */
class H2DirectoryContractTest extends IdentityDirectoryContract {

  @Override
  protected IdentityDirectory directory(IdentityOperations operations) {
    return JdbcIdentityDirectory.builder()
        .dataSource(Databases.H2.unpooled())
        .identityOperations(operations)
        .tableName(Databases.freshTable())
        .build();
  }
}
