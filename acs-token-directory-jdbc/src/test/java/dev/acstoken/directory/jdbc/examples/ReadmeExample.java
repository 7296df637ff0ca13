package dev.acstoken.directory.jdbc.examples;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import java.security.Principal;
import javax.sql.DataSource;

/** The README's directory example, compiled and run by {@link ReadmeExampleTest}. */
final class ReadmeExample {

  private ReadmeExample() {}

  static AccessToken signIn(
      DataSource dataSource, IdentityOperations acs, TokenProvider tokens, Principal principal) {
    // tag::directory[]
    JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(dataSource) // your pool; PostgreSQL in production, H2 embedded
            .identityOperations(acs) // e.g. the AcsIdentityClient
            .build(); // creates the table acs_identity_directory when missing

    IdentityId identity = directory.identityFor(principal.getName()); // a store read when known
    AccessToken token = tokens.getToken(TokenRequest.of(identity, Scope.CHAT)); // e.g. the cache
    directory.forget(principal.getName()); // the user left: revoked and deleted at ACS too
    // end::directory[]
    directory.close();
    return token;
  }
}
