package dev.acstoken.testkit.contract;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.testkit.InMemoryIdentityDirectory;

/** The directory contract against the in-memory directory. */
class InMemoryIdentityDirectoryContractTest extends IdentityDirectoryContract {

  @Override
  protected IdentityDirectory directory(IdentityOperations operations) {
    return InMemoryIdentityDirectory.create(operations);
  }
}
