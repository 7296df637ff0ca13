package dev.acstoken.spring.autoconfigure;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TimeSource;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The identity directory from {@code acs.directory.*}: with {@code acs.directory.enabled=true} and
 * {@code dev.acstoken:acs-token-directory-jdbc} on the class path, a {@link JdbcIdentityDirectory}
 * {@code acsIdentityDirectory} over the application's {@link DataSource}, closed with the context.
 *
 * <p>It creates, revokes and deletes identities through the context's {@link IdentityOperations}:
 * the starter's cache-invalidating operations, so that {@code forget} also drops the user's cached
 * tokens (on every instance when the shared tier is on). It backs off when the application defines
 * its own {@link IdentityDirectory}. The DataSource must be unique or primary; with the table
 * managed by Flyway or Liquibase, set {@code acs.directory.create-table=false} and run the DDL of
 * {@link JdbcIdentityDirectory#ddl(String)}.
 */
@AutoConfiguration(
    after = AcsAutoConfiguration.class,
    afterName = {
      // Spring Boot 3 and Spring Boot 4 names of the DataSource auto-configuration
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
    })
@ConditionalOnProperty(prefix = "acs.directory", name = "enabled", havingValue = "true")
public class AcsDirectoryAutoConfiguration {

  static final String JDBC_DIRECTORY_CLASS = "dev.acstoken.directory.jdbc.JdbcIdentityDirectory";

  /** Creates the configuration; Spring does. */
  public AcsDirectoryAutoConfiguration() {}

  /** The directory on JDBC, when its module is on the class path. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = JDBC_DIRECTORY_CLASS)
  static class JdbcDirectoryConfiguration {

    /**
     * The directory over the application's DataSource.
     *
     * @param dataSource the application's (unique or primary) DataSource
     * @param operations the (cache-invalidating) identity operations
     * @param timeSource a time source of the application's, else the system's
     * @param properties the acs.directory.* properties
     * @return the directory, closed with the context
     * @throws IllegalStateException when there is no DataSource or no IdentityOperations
     * @throws IllegalArgumentException naming the property whose value the directory refuses
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(IdentityDirectory.class)
    JdbcIdentityDirectory acsIdentityDirectory(
        ObjectProvider<DataSource> dataSource,
        ObjectProvider<IdentityOperations> operations,
        ObjectProvider<TimeSource> timeSource,
        AcsProperties properties) {
      DataSource ds = dataSource.getIfUnique();
      if (ds == null) {
        throw new IllegalStateException(
            "acs.directory.enabled=true needs one DataSource bean (or a @Primary one): set"
                + " spring.datasource.url, or define a DataSource");
      }
      IdentityOperations ops = operations.getIfUnique();
      if (ops == null) {
        throw new IllegalStateException(
            "acs.directory.enabled=true needs one IdentityOperations bean (or a @Primary one)");
      }
      AcsProperties.Directory p = properties.getDirectory();
      JdbcIdentityDirectory.Builder builder =
          JdbcIdentityDirectory.builder()
              .dataSource(ds)
              .identityOperations(ops)
              .createTable(p.isCreateTable());
      Settings.apply("acs.directory.table-name", p.getTableName(), builder::tableName);
      Settings.apply("acs.directory.claim-timeout", p.getClaimTimeout(), builder::claimTimeout);
      Settings.apply("acs.directory.wait-timeout", p.getWaitTimeout(), builder::waitTimeout);
      TimeSource time = timeSource.getIfUnique();
      if (time != null) {
        builder.timeSource(time);
      }
      return builder.build();
    }
  }

  /** Says what to add when the directory is asked for but its module is not there. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(JDBC_DIRECTORY_CLASS)
  @ConditionalOnMissingBean(IdentityDirectory.class)
  static class DirectoryModuleMissing {

    @Bean
    Object acsDirectoryModuleMissing() {
      throw new IllegalStateException(
          "acs.directory.enabled=true needs dev.acstoken:acs-token-directory-jdbc on the class"
              + " path (or an IdentityDirectory bean of the application's)");
    }
  }
}
