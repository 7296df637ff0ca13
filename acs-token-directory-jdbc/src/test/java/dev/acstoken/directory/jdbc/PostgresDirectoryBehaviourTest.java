package dev.acstoken.directory.jdbc;

/** The directory's behaviour on a real PostgreSQL server. */
class PostgresDirectoryBehaviourTest extends DirectoryBehaviour {
  @Override
  Databases database() {
    return Databases.POSTGRESQL;
  }
}
