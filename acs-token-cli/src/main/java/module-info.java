/** The acs-token command-line tool and the ACS access-token quickstart. */
module dev.acstoken.cli {
  requires dev.acstoken.core;
  requires dev.acstoken.testkit;
  requires dev.acstoken.cache;
  requires dev.acstoken.directory.jdbc;
  requires java.sql;
  requires info.picocli;
  requires com.azure.core;
  requires com.azure.core.http.jdk.httpclient;
  requires java.net.http;
  requires org.jspecify;

  exports dev.acstoken.cli;

  opens dev.acstoken.cli to
      info.picocli;
}
