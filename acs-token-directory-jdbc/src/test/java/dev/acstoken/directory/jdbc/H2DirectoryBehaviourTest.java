package dev.acstoken.directory.jdbc;

/** The directory's behaviour on embedded H2. */
class H2DirectoryBehaviourTest extends DirectoryBehaviour {
  @Override
  Databases database() {
    return Databases.H2;
  }
}
