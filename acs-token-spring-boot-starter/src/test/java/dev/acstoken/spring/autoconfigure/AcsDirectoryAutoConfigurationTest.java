package dev.acstoken.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.NotFoundException;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.InMemoryIdentityDirectory;
import dev.acstoken.testkit.junit.AcsEmulatorExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class AcsDirectoryAutoConfigurationTest {

  @RegisterExtension static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create();

  private final AcsEmulator emulator = ACS.emulator();

  private final ApplicationContextRunner runner =
      EmulatorContexts.runner(
          emulator, AcsAutoConfiguration.class, AcsDirectoryAutoConfiguration.class);

  @Test
  void context_withDirectoryEnabled_createsJdbcDirectoryOverTheDataSource() {
    runner
        .withBean(DataSource.class, EmulatorContexts::h2)
        .withPropertyValues("acs.directory.enabled=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(JdbcIdentityDirectory.class);
              IdentityDirectory directory = context.getBean(IdentityDirectory.class);

              IdentityId alice = directory.identityFor("alice@example.com");

              assertThat(directory.identityFor("alice@example.com")).isEqualTo(alice);
              assertThat(directory.find("alice@example.com")).contains(alice);
              assertThat(emulator.identities()).containsExactly(alice);
            });
  }

  @Test
  void forget_throughTheStartersDirectory_deletesAtAcs_andDropsTheCachedToken() {
    runner
        .withBean(DataSource.class, EmulatorContexts::h2)
        .withPropertyValues("acs.directory.enabled=true")
        .run(
            context -> {
              IdentityDirectory directory = context.getBean(IdentityDirectory.class);
              CachingTokenProvider cache = context.getBean(CachingTokenProvider.class);
              IdentityId alice = directory.identityFor("alice");
              TokenRequest request = TokenRequest.of(alice, Scope.VOIP);
              String token = cache.getToken(request).value();

              directory.forget("alice");

              assertThat(emulator.deletedIdentities()).contains(alice);
              assertThat(emulator.isValid(token)).isFalse();
              // the cache no longer serves the token: it asks ACS, which no longer knows alice
              assertThatThrownBy(() -> cache.getToken(request))
                  .isInstanceOf(NotFoundException.class);
              assertThat(directory.find("alice")).isEmpty();
            });
  }

  @Test
  void context_withTableNameAndCreateTable_createsThatTable() {
    DataSource ds = EmulatorContexts.h2();
    runner
        .withBean(DataSource.class, () -> ds)
        .withPropertyValues("acs.directory.enabled=true", "acs.directory.table-name=app_acs_users")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              context.getBean(IdentityDirectory.class).identityFor("bob");
              assertThat(count(ds, "SELECT COUNT(*) FROM app_acs_users")).isEqualTo(1);
            });
  }

  @Test
  void context_withCreateTableFalse_leavesTheSchemaAlone() {
    DataSource ds = EmulatorContexts.h2();
    runner
        .withBean(DataSource.class, () -> ds)
        .withPropertyValues("acs.directory.enabled=true", "acs.directory.create-table=false")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(
                      count(
                          ds,
                          "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                              + " WHERE LOWER(TABLE_NAME) = '"
                              + JdbcIdentityDirectory.DEFAULT_TABLE_NAME
                              + "'"))
                  .isZero();
            });
  }

  @Test
  void context_withAnInvalidTableName_failsNamingTheProperty() {
    runner
        .withBean(DataSource.class, EmulatorContexts::h2)
        .withPropertyValues("acs.directory.enabled=true", "acs.directory.table-name=users; drop")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("invalid acs.directory.table-name"));
  }

  @Test
  void context_withoutDirectoryEnabled_hasNoDirectory() {
    runner
        .withBean(DataSource.class, EmulatorContexts::h2)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(IdentityDirectory.class);
            });
  }

  @Test
  void context_withTheApplicationsOwnDirectory_backsOff() {
    runner
        .withBean(DataSource.class, EmulatorContexts::h2)
        .withBean(IdentityDirectory.class, () -> InMemoryIdentityDirectory.create(FakeAcs.create()))
        .withPropertyValues("acs.directory.enabled=true")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(IdentityDirectory.class);
              assertThat(context).doesNotHaveBean(JdbcIdentityDirectory.class);
            });
  }

  @Test
  void context_withoutDataSource_failsSayingWhatIsMissing() {
    runner
        .withPropertyValues("acs.directory.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("acs.directory.enabled=true needs one DataSource"));
  }

  @Test
  void context_withoutTheJdbcModule_failsSayingWhatToAdd() {
    runner
        .withClassLoader(new FilteredClassLoader(JdbcIdentityDirectory.class))
        .withBean(DataSource.class, EmulatorContexts::h2)
        .withPropertyValues("acs.directory.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("dev.acstoken:acs-token-directory-jdbc"));
  }

  private static int count(DataSource ds, String query) throws SQLException {
    try (Connection c = ds.getConnection();
        ResultSet rows = c.createStatement().executeQuery(query)) {
      assertThat(rows.next()).isTrue();
      return rows.getInt(1);
    }
  }
}
