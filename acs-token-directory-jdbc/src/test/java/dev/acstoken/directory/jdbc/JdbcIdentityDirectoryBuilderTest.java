package dev.acstoken.directory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.error.DirectoryException;
import dev.acstoken.testkit.FakeAcs;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder's options, the table it creates and the documented DDL. */
class JdbcIdentityDirectoryBuilderTest {

  private final FakeAcs acs = FakeAcs.create();

  @Test
  void build_withoutDataSource_namesTheMissingOption() {
    assertThatThrownBy(() -> JdbcIdentityDirectory.builder().identityOperations(acs).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dataSource is required");
    assertThatThrownBy(
            () -> JdbcIdentityDirectory.builder().dataSource(Databases.H2.unpooled()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("identityOperations is required");
  }

  @Test
  void tableName_whenNotAnIdentifier_namesOptionRuleAndValue() {
    assertThatThrownBy(() -> JdbcIdentityDirectory.builder().tableName("users; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tableName 'users; DROP TABLE x' is not allowed")
        .hasMessageContaining("schema.table");
  }

  @Test
  void durations_whenTooShort_nameOptionMinimumAndValue() {
    assertThatThrownBy(() -> JdbcIdentityDirectory.builder().claimTimeout(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("claimTimeout must be at least PT1S; got PT0.01S");
    assertThatThrownBy(() -> JdbcIdentityDirectory.builder().waitTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("waitTimeout must be at least PT0.001S; got PT0S");
  }

  @Test
  void build_createsTheMissingTableOnceAndAgainIsHarmless() {
    String table = Databases.freshTable();
    JdbcIdentityDirectory.builder()
        .dataSource(Databases.H2.unpooled())
        .identityOperations(acs)
        .tableName(table)
        .build()
        .close();
    try (JdbcIdentityDirectory again =
        JdbcIdentityDirectory.builder()
            .dataSource(Databases.H2.unpooled())
            .identityOperations(acs)
            .tableName(table)
            .build()) {
      assertThat(again.identityFor("alice")).isEqualTo(again.identityFor("alice"));
    }
  }

  @Test
  void identityFor_whenTableMissingAndNotCreated_failsNotRetryable() {
    try (JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(Databases.H2.unpooled())
            .identityOperations(acs)
            .tableName(Databases.freshTable())
            .createTable(false)
            .build()) {
      assertThatThrownBy(() -> directory.identityFor("alice"))
          .isInstanceOfSatisfying(
              DirectoryException.class, e -> assertThat(e.isRetryable()).isFalse())
          .hasMessageContaining("SQLState 42");
    }
    assertThat(acs.callCount()).isZero();
  }

  @Test
  void ddl_createsATableTheDirectoryUsesWithoutCreatingIt() throws Exception {
    String table = Databases.freshTable();
    try (Connection c = Databases.H2.unpooled().getConnection();
        Statement s = c.createStatement()) {
      s.execute(JdbcIdentityDirectory.ddl(table));
    }
    try (JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(Databases.H2.unpooled())
            .identityOperations(acs)
            .tableName(table)
            .createTable(false)
            .build()) {
      assertThat(directory.find("alice")).isEmpty();
      assertThat(directory.identityFor("alice")).isEqualTo(acs.identities().get(0));
    }
  }

  @Test
  void defaultTableName_isTheDocumentedName_andTheBuildersDefault() {
    // users' schemas carry this name: changing it would lose every mapping
    assertThat(JdbcIdentityDirectory.DEFAULT_TABLE_NAME).isEqualTo("acs_identity_directory");
    try (JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(Databases.H2.unpooled())
            .identityOperations(acs)
            .build()) {
      assertThat(directory.toString()).contains(JdbcIdentityDirectory.DEFAULT_TABLE_NAME);
    }
  }

  @Test
  void ddl_ofTheDefaultTable_isTheDocumentedStatement() {
    assertThat(JdbcIdentityDirectory.ddl(JdbcIdentityDirectory.DEFAULT_TABLE_NAME))
        .startsWith("CREATE TABLE IF NOT EXISTS acs_identity_directory (")
        .contains("app_user_id VARCHAR(512) NOT NULL PRIMARY KEY");
  }

  @Test
  void toString_showsTableButNoUser() {
    try (JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(Databases.H2.unpooled())
            .identityOperations(acs)
            .tableName(Databases.freshTable())
            .build()) {
      directory.identityFor("secret-person");
      assertThat(directory.toString())
          .startsWith("JdbcIdentityDirectory[table=dir_")
          .doesNotContain("secret-person");
    }
  }
}
